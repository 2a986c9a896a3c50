package python_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python"
)

const (
	// fixtureDir holds real published manifests, each with a .pins.json
	// beside it. It lives outside the repository and may be absent.
	fixtureDir   = "../../../../shared/fixtures/smolvm-published"
	syntheticDir = "testdata/synthetic"
	oracleScript = "testdata/oracle/oracle.py"
	// findingsFile is the synthetic manifest whose refused pins the oracle
	// cannot judge (its import stubs invent values); it is asserted
	// directly by TestUnresolvedAndInvalid.
	findingsFile = "unresolved_and_invalid.py"
	// directivePrefix starts an optional first line of a synthetic
	// manifest saying how to evaluate it, e.g.
	//	# pindrift-test: symbols=all env=NAME=VALUE platforms=linux,darwin
	directivePrefix = "# pindrift-test:"
	oracleTimeout   = 30 * time.Second
)

// pair is a pin as the oracle and the fixtures' .pins.json record it.
type pair struct {
	URL    string `json:"url"`
	SHA256 string `json:"sha256"`
}

func pairsOf(r *pin.Result) []pair {
	out := []pair{}
	for _, p := range r.Unique() {
		out = append(out, pair{URL: p.URL, SHA256: p.SHA256})
	}
	return out
}

func sortPairs(ps []pair) []pair {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].URL != ps[j].URL {
			return ps[i].URL < ps[j].URL
		}
		return ps[i].SHA256 < ps[j].SHA256
	})
	return ps
}

// setup is how one manifest is evaluated, by Extract and by the oracle.
type setup struct {
	opts pin.Options
	// oracleArgs are the --symbols and --env flags of every oracle run.
	oracleArgs []string
	// platforms are the oracle's --platform values, one run each; the
	// union of their pins is what Extract must find.
	platforms []string
}

// parseDirective reads the optional "# pindrift-test:" first line of src.
func parseDirective(t *testing.T, src []byte) setup {
	t.Helper()
	s := setup{platforms: []string{pin.DefaultPlatform.Name}}
	first, _, _ := bytes.Cut(src, []byte("\n"))
	rest, ok := strings.CutPrefix(string(first), directivePrefix)
	if !ok {
		return s
	}
	for _, field := range strings.Fields(rest) {
		key, val, _ := strings.Cut(field, "=")
		switch key {
		case "symbols":
			s.opts.Symbols = strings.Split(val, ",")
			s.oracleArgs = append(s.oracleArgs, "--symbols", val)
		case "env":
			name, value, ok := strings.Cut(val, "=")
			if !ok {
				t.Fatalf("directive env=%q: want env=NAME=VALUE", val)
			}
			if s.opts.Env == nil {
				s.opts.Env = map[string]string{}
			}
			s.opts.Env[name] = value
			s.oracleArgs = append(s.oracleArgs, "--env", val)
		case "platforms":
			s.platforms = nil
			for _, name := range strings.Split(val, ",") {
				p, err := pin.ParsePlatform(name)
				if err != nil {
					t.Fatalf("directive platforms: %v", err)
				}
				s.opts.Platforms = append(s.opts.Platforms, p)
				s.platforms = append(s.platforms, name)
			}
		default:
			t.Fatalf("unknown directive %q in %q", key, first)
		}
	}
	return s
}

// fixtureFiles lists the published manifests, or skips t when the
// fixture folder is not there.
func fixtureFiles(t *testing.T) []string {
	t.Helper()
	if _, err := os.Stat(fixtureDir); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("fixture folder %s is absent; the published smolvm manifests are not checked", fixtureDir)
	}
	files, err := filepath.Glob(filepath.Join(fixtureDir, "*.py"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no *.py in %s", fixtureDir)
	}
	return files
}

// syntheticFiles lists the project's synthetic manifests.
func syntheticFiles(t *testing.T, withFindings bool) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(syntheticDir, "*.py"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if withFindings || filepath.Base(f) != findingsFile {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no synthetic manifests in %s", syntheticDir)
	}
	return out
}

func extract(t *testing.T, path string, opts pin.Options) ([]byte, *pin.Result) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := python.Extract(context.Background(), path, src, opts)
	if err != nil {
		t.Fatalf("Extract(%s): %v", path, err)
	}
	return src, res
}

func assertNoFindings(t *testing.T, res *pin.Result) {
	t.Helper()
	for _, f := range res.Unresolved {
		t.Errorf("unexpected unresolved finding at %d:%d (%s): %s", f.Line, f.Column, f.Path, f.Message)
	}
	for _, f := range res.Invalid {
		t.Errorf("unexpected invalid finding at %d:%d (%s): %s", f.Line, f.Column, f.Path, f.Message)
	}
}

func TestFixtureManifests(t *testing.T) {
	t.Parallel()
	for _, path := range fixtureFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(strings.TrimSuffix(path, ".py") + ".pins.json")
			if err != nil {
				t.Fatal(err)
			}
			var want []pair
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatalf("%s.pins.json: %v", path, err)
			}
			_, res := extract(t, path, pin.Options{})
			if diff := cmp.Diff(sortPairs(want), pairsOf(res)); diff != "" {
				t.Errorf("pins mismatch (-published +Extract):\n%s", diff)
			}
			assertNoFindings(t, res)
		})
	}
}

// runOracle returns the pins CPython finds in path, evaluated with args.
func runOracle(t *testing.T, path string, args ...string) []pair {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), oracleTimeout)
	defer cancel()
	// -B: importing the manifest must not leave __pycache__ in testdata.
	cmd := exec.CommandContext(ctx, "python3", append([]string{"-B", oracleScript, path}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle %s %v: %v\n%s", path, args, err, stderr.Bytes())
	}
	var ps []pair
	if err := json.Unmarshal(out, &ps); err != nil {
		t.Fatalf("oracle %s output: %v\n%s", path, err, out)
	}
	return ps
}

func TestOracleSynthetic(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skipf("python3 not on PATH, so CPython cannot judge the synthetic manifests: %v", err)
	}
	for _, path := range syntheticFiles(t, false) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s := parseDirective(t, src)

			union := map[pair]bool{}
			for _, p := range s.platforms {
				for _, pr := range runOracle(t, path, append(s.oracleArgs, "--platform", p)...) {
					union[pr] = true
				}
			}
			want := []pair{}
			for pr := range union {
				want = append(want, pr)
			}
			sortPairs(want)

			_, res := extract(t, path, s.opts)
			got := pairsOf(res)
			if len(got) == 0 {
				t.Errorf("Extract found no pins; every synthetic manifest has some")
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("pins mismatch (-CPython +Extract):\n%s", diff)
			}
			assertStrays(t, src, res, want, syntheticStrays[filepath.Base(path)])
		})
	}
}

// syntheticStrays are the digest literals of each synthetic manifest that
// no pin uses, as line:column: a table entry nothing looks up, a ClassVar,
// a pydantic model_config. Extract must report each, and nothing else.
var syntheticStrays = map[string][]string{
	"collections_and_builtins.py": {"31:14"},
	"control_flow.py":             {"25:100", "27:24"},
	"records.py":                  {"41:36", "58:23", "63:36"},
}

// assertStrays checks that res's only findings are the sweep's, at the
// positions want lists, each a digest literal CPython's pins (cpython)
// do not use either.
func assertStrays(t *testing.T, src []byte, res *pin.Result, cpython []pair, want []string) {
	t.Helper()
	for _, f := range res.Invalid {
		t.Errorf("unexpected invalid finding at %d:%d (%s): %s", f.Line, f.Column, f.Path, f.Message)
	}
	paired := map[string]bool{}
	for _, p := range cpython {
		paired[strings.ToLower(p.SHA256)] = true
	}
	got := []string{}
	for _, f := range res.Unresolved {
		if f.Message != unreached {
			t.Errorf("unexpected unresolved finding at %d:%d (%s): %s", f.Line, f.Column, f.Path, f.Message)
			continue
		}
		got = append(got, fmt.Sprintf("%d:%d", f.Line, f.Column))
		if !checkSpan(t, src, "stray digest", f.Span) {
			continue
		}
		body, ok := literalBody(string(src[f.Span.Start:f.Span.End]))
		if d, isDigest := pin.ParseDigest(body); !ok || !isDigest {
			t.Errorf("stray at %d:%d: %q is not a digest literal", f.Line, f.Column, body)
		} else if paired[d.Hex] {
			t.Errorf("stray at %d:%d: CPython pairs %s with a URL", f.Line, f.Column, body)
		}
	}
	if diff := cmp.Diff(append([]string{}, want...), got); diff != "" {
		t.Errorf("stray digests (-want +got):\n%s", diff)
	}
}

// lineCol is the 1-based line and byte column of offset off in src.
func lineCol(src []byte, off int) (line, col int) {
	before := src[:off]
	return bytes.Count(before, []byte("\n")) + 1, off - (bytes.LastIndexByte(before, '\n') + 1) + 1
}

// literalBody strips the prefix and quotes of the Python string literal
// text, reporting false if text is not one.
func literalBody(text string) (string, bool) {
	rest := strings.TrimLeft(text, "rRuU")
	if len(text)-len(rest) > 2 {
		return "", false
	}
	for _, q := range []string{`"""`, `'''`, `"`, `'`} {
		if strings.HasPrefix(rest, q) {
			if len(rest) < 2*len(q) || !strings.HasSuffix(rest, q) {
				return "", false
			}
			return rest[len(q) : len(rest)-len(q)], true
		}
	}
	return "", false
}

func checkSpan(t *testing.T, src []byte, what string, s pin.Span) bool {
	t.Helper()
	if s.Start < 0 || s.Start >= s.End || s.End > len(src) {
		t.Errorf("%s span %+v is not a non-empty range within the %d-byte file", what, s, len(src))
		return false
	}
	if line, col := lineCol(src, s.Start); line != s.Line || col != s.Column {
		t.Errorf("%s span %+v: offset %d is at %d:%d", what, s, s.Start, line, col)
	}
	return true
}

func TestSHASpans(t *testing.T) {
	t.Parallel()
	type tc struct {
		path string
		opts pin.Options
	}
	cases := map[string]tc{}
	for _, path := range syntheticFiles(t, true) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		cases["synthetic/"+filepath.Base(path)] = tc{path, parseDirective(t, src).opts}
	}
	if _, err := os.Stat(fixtureDir); err == nil {
		files, err := filepath.Glob(filepath.Join(fixtureDir, "*.py"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			cases["fixture/"+filepath.Base(path)] = tc{path: path}
		}
	} else {
		t.Logf("fixture folder %s is absent; checking synthetic manifests only", fixtureDir)
	}

	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src, res := extract(t, c.path, c.opts)
			if len(res.Pins) == 0 {
				t.Fatalf("no pins to check")
			}
			for _, p := range res.Pins {
				where := p.Path
				if checkSpan(t, src, where+" SHA", p.SHASpan) {
					text := string(src[p.SHASpan.Start:p.SHASpan.End])
					if body, ok := literalBody(text); !ok || body != p.SHA256 {
						t.Errorf("%s: SHA span text %q is not the string literal of %s", where, text, p.SHA256)
					}
				}
				checkSpan(t, src, where+" URL", p.URLSpan)
			}
		})
	}
}

func TestUnresolvedAndInvalid(t *testing.T) {
	t.Parallel()
	path := filepath.Join(syntheticDir, findingsFile)
	src, res := extract(t, path, pin.Options{})
	lines := strings.Split(string(src), "\n")

	wantPins := []pair{{
		URL:    "https://github.com/acme/widgets/releases/download/v1.2.3/widget-amd64.tar.zst",
		SHA256: "5a19ed88a39286d13fc7ca16408c2ed17200472922a7fbac697a83848bbb9b6a",
	}}
	if diff := cmp.Diff(wantPins, pairsOf(res)); diff != "" {
		t.Errorf("pins mismatch (-want +got):\n%s", diff)
	}

	// want is one finding: the line it must be on, the manifest key that
	// line holds (so the table stays in step with the file), and words
	// its message must contain one of.
	type want struct {
		line     int
		key      string
		mentions []string
	}
	check := func(t *testing.T, kind string, got []pin.Finding, wants []want) {
		t.Helper()
		gotLines, wantLines := []int{}, []int{}
		for _, f := range got {
			gotLines = append(gotLines, f.Line)
		}
		for _, w := range wants {
			wantLines = append(wantLines, w.line)
		}
		sort.Ints(gotLines)
		if diff := cmp.Diff(wantLines, gotLines); diff != "" {
			t.Fatalf("%s finding lines (-want +got):\n%s\nfindings: %+v", kind, diff, got)
		}
		for _, w := range wants {
			if !strings.Contains(lines[w.line-1], `"`+w.key+`"`) {
				t.Fatalf("line %d of %s no longer holds %q; update this table", w.line, findingsFile, w.key)
			}
			for _, f := range got {
				if f.Line != w.line {
					continue
				}
				if f.Symbol != "MANIFEST" {
					t.Errorf("%s finding on line %d: symbol %q, want MANIFEST", kind, w.line, f.Symbol)
				}
				if f.Column < 1 {
					t.Errorf("%s finding on line %d: column %d", kind, w.line, f.Column)
				}
				msg := strings.ToLower(f.Message)
				found := false
				for _, m := range w.mentions {
					found = found || strings.Contains(msg, strings.ToLower(m))
				}
				if !found {
					t.Errorf("%s finding on line %d: message %q mentions none of %q", kind, w.line, f.Message, w.mentions)
				}
			}
		}
	}

	t.Run("unresolved", func(t *testing.T) {
		check(t, "unresolved", res.Unresolved, []want{
			{line: 18, key: "mirrored", mentions: []string{"MIRROR", "acme_mirrors"}},
			{line: 20, key: "rootfs", mentions: []string{"ROOTFS_SHA", "acme_mirrors"}},
		})
	})
	t.Run("invalid", func(t *testing.T) {
		check(t, "invalid", res.Invalid, []want{
			{line: 22, key: "short", mentions: []string{"63", "64", "length"}},
			{line: 24, key: "nonhex", mentions: []string{"hex"}},
		})
	})
}
