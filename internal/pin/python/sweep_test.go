package python_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python"
)

const (
	shaC = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
	shaD = "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
)

// sweepRow is what the no-silent-miss tests compare of a pin or finding.
type sweepRow struct {
	URL, Symbol, Path string
	Line, Column      int
	Message           string
}

func sweepRows(res *pin.Result) (pins, unresolved, invalid []sweepRow) {
	for _, p := range res.Pins {
		pins = append(pins, sweepRow{URL: p.URL, Symbol: p.Symbol, Path: p.Path, Line: p.SHASpan.Line, Column: p.SHASpan.Column})
	}
	for _, f := range res.Unresolved {
		unresolved = append(unresolved, sweepRow{Symbol: f.Symbol, Path: f.Path, Line: f.Line, Column: f.Column, Message: f.Message})
	}
	for _, f := range res.Invalid {
		invalid = append(invalid, sweepRow{Symbol: f.Symbol, Path: f.Path, Line: f.Line, Column: f.Column, Message: f.Message})
	}
	return pins, unresolved, invalid
}

func platforms(t *testing.T, names ...string) []pin.Platform {
	t.Helper()
	var out []pin.Platform
	for _, n := range names {
		p, err := pin.ParsePlatform(n)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// branchSrc has a stray digest in each branch of a platform test: SPARE
// on darwin, SPARE2 elsewhere.
const branchSrc = `import sys
MANIFEST = {}
if sys.platform == "darwin":
    MANIFEST["k"] = {"url": "https://e.org/mac", "sha256": "` + shaA + `"}
    SPARE = "` + shaB + `"
else:
    MANIFEST["k"] = {"url": "https://e.org/linux", "sha256": "` + shaC + `"}
    SPARE2 = "` + shaD + `"
`

// TestNoSilentMiss checks that in Python mode every digest literal ends in
// a pin or a finding at its own line and column, except those only a
// platform or environment not evaluated reaches.
func TestNoSilentMiss(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		src                       string
		opts                      func(t *testing.T) pin.Options
		pins, unresolved, invalid []sweepRow
	}{
		"a digest no symbol or call reaches is reported where it is written": {
			src: `MANIFEST = {"k": {"url": "https://e.org/k", "sha256": "` + shaA + `"}}
SPARE = "` + shaB + `"
OLD = {"x": "sha256:` + strings.ToUpper(shaC) + `", "bad": "sha256:123"}
`,
			pins: []sweepRow{{URL: "https://e.org/k", Symbol: "MANIFEST", Path: `MANIFEST["k"]`, Line: 1, Column: 55}},
			unresolved: []sweepRow{
				{Symbol: "<module>", Line: 2, Column: 9, Message: unreached},
				{Symbol: "<module>", Line: 3, Column: 13, Message: unreached},
			},
			invalid: []sweepRow{{Symbol: "<module>", Line: 3, Column: 95, Message: pin.MsgLooksLike}},
		},
		"linux alone: the darwin branch's stray is another platform's, the linux branch's is reported": {
			src:  branchSrc,
			pins: []sweepRow{{URL: "https://e.org/linux", Symbol: "MANIFEST", Path: `MANIFEST["k"]`, Line: 7, Column: 62}},
			unresolved: []sweepRow{
				{Symbol: "<module>", Line: 8, Column: 14, Message: unreached},
			},
		},
		"linux and darwin: each branch ran, so both strays are reported": {
			src:  branchSrc,
			opts: func(t *testing.T) pin.Options { return pin.Options{Platforms: platforms(t, "linux", "darwin")} },
			pins: []sweepRow{
				{URL: "https://e.org/linux", Symbol: "MANIFEST", Path: `MANIFEST["k"]`, Line: 7, Column: 62},
				{URL: "https://e.org/mac", Symbol: "MANIFEST", Path: `MANIFEST["k"]`, Line: 4, Column: 60},
			},
			unresolved: []sweepRow{
				{Symbol: "<module>", Line: 5, Column: 13, Message: unreached},
				{Symbol: "<module>", Line: 8, Column: 14, Message: unreached},
			},
		},
		"a digest chosen by a conditional expression or an unset variable is another configuration's": {
			src: `import os, sys
SHA = "` + shaA + `" if sys.platform == "win32" else "` + shaB + `"
MANIFEST = {"k": {"url": "https://e.org/k", "sha256": SHA}}
if os.environ.get("CHANNEL") == "beta":
    MANIFEST["beta"] = {"url": "https://e.org/beta", "sha256": "` + shaC + `"}
`,
			pins: []sweepRow{{URL: "https://e.org/k", Symbol: "MANIFEST", Path: `MANIFEST["k"]`, Line: 2, Column: 106}},
		},
		"the environment that takes the branch pairs its digest": {
			src: `import os
MANIFEST = {}
if os.environ.get("CHANNEL") == "beta":
    MANIFEST["beta"] = {"url": "https://e.org/beta", "sha256": "` + shaC + `"}
`,
			opts: func(*testing.T) pin.Options { return pin.Options{Env: map[string]string{"CHANNEL": "beta"}} },
			pins: []sweepRow{{URL: "https://e.org/beta", Symbol: "MANIFEST", Path: `MANIFEST["beta"]`, Line: 4, Column: 64}},
		},
		"an uncalled def's download whose URL depends on a parameter is unresolved with it": {
			src: `def deps(version):
    download(name = "tool", url = "https://e.org/tool-%s.tgz" % version, sha256 = "` + shaA + `")
    download(name = "fixed", url = "https://e.org/fixed.tgz", sha256 = "` + shaB + `")
`,
			pins: []sweepRow{{URL: "https://e.org/fixed.tgz", Symbol: "deps", Path: `download(name="fixed")`, Line: 3, Column: 72}},
			unresolved: []sweepRow{{Symbol: "deps", Path: `download(name="tool")`, Line: 2, Column: 35,
				Message: `download(name="tool"): url depends on a value the evaluator cannot know: depends on parameter ` + "`version`" + ` of def deps (line 1)`}},
		},
		"an uncalled def that passes on a digest written elsewhere reports nothing": {
			src: `from images import Source
MANIFEST = {"k": {"url": "https://e.org/k", "sha256": "` + shaA + `"}}
def to_source(entry):
    return Source(url = entry["url"], sha256 = entry["sha256"])
`,
			pins: []sweepRow{{URL: "https://e.org/k", Symbol: "MANIFEST", Path: `MANIFEST["k"]`, Line: 2, Column: 55}},
		},
		"a digest in an uncalled def that no record uses is reported": {
			src: `MANIFEST = {"k": {"url": "https://e.org/k", "sha256": "` + shaA + `"}}
def lookup(arch):
    return {"arm64": "` + shaB + `"}[arch]
`,
			pins:       []sweepRow{{URL: "https://e.org/k", Symbol: "MANIFEST", Path: `MANIFEST["k"]`, Line: 1, Column: 55}},
			unresolved: []sweepRow{{Symbol: "lookup", Line: 3, Column: 22, Message: unreached}},
		},
		"the MANIFEST walker reads SRI, prefixed and sha512 digests": {
			src: `MANIFEST = {
    "sri": {"url": "https://e.org/a", "sha256": "sha256-q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s="},
    "prefixed": {"url": "https://e.org/b", "sha256": "sha256:` + shaB + `"},
    "long": {"url": "https://e.org/c", "sha512": "` + shaC + shaC + `"},
    "md5": {"url": "https://e.org/d", "sha256": "md5:0123456789abcdef0123456789abcdef"},
}
`,
			pins: []sweepRow{
				{URL: "https://e.org/a", Symbol: "MANIFEST", Path: `MANIFEST["sri"]`, Line: 2, Column: 49},
				{URL: "https://e.org/b", Symbol: "MANIFEST", Path: `MANIFEST["prefixed"]`, Line: 3, Column: 54},
				{URL: "https://e.org/c", Symbol: "MANIFEST", Path: `MANIFEST["long"]`, Line: 4, Column: 50},
			},
			invalid: []sweepRow{{Symbol: "MANIFEST", Path: `MANIFEST["md5"]`, Line: 5, Column: 49,
				Message: `MANIFEST["md5"]: sha256 is 'md5:0123456789abcdef0123456789abcdef' (36 characters): md5 digests are not verified: pindrift checks sha256, sha384 and sha512`}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts := pin.Options{}
			if tc.opts != nil {
				opts = tc.opts(t)
			}
			pins, unresolved, invalid := sweepRows(mustExtract(t, tc.src, opts))
			if diff := cmp.Diff(tc.pins, pins); diff != "" {
				t.Errorf("pins (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.unresolved, unresolved); diff != "" {
				t.Errorf("unresolved (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.invalid, invalid); diff != "" {
				t.Errorf("invalid (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWalkerDigestForms checks what the MANIFEST walker records of a
// digest that is not bare sha256 hex: its algorithm, lowercase hex and
// encoding, and the text as written for sha256.
func TestWalkerDigestForms(t *testing.T) {
	t.Parallel()
	src := `MANIFEST = {
    "sri": {"url": "https://e.org/a", "sha256": "sha256-q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s="},
    "long": {"url": "https://e.org/c", "sha512": "` + strings.ToUpper(shaC+shaC) + `"},
}
`
	type form struct {
		Algorithm      pin.Algorithm
		Digest, SHA256 string
		Encoding       pin.Encoding
	}
	var got []form
	for _, p := range mustExtract(t, src, pin.Options{}).Pins {
		got = append(got, form{p.Algorithm, p.Digest, p.SHA256, p.Encoding})
	}
	want := []form{
		{pin.SHA256, strings.Repeat("ab", 32), "sha256-q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=", pin.SRI},
		{pin.SHA512, shaC + shaC, "", pin.Hex},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("digests (-want +got):\n%s", diff)
	}
}

// TestUncalledDefBudgetPython checks that in Python mode a def the module
// never calls cannot cost the file its pins: running out of budget there
// is a finding at the def.
func TestUncalledDefBudgetPython(t *testing.T) {
	t.Parallel()
	src := `MANIFEST = {"k": {"url": "https://e.org/k", "sha256": "` + shaA + `"}}
def spin(n):
    x = 0
    for i in range(1000000000):
        x += 1
`
	res, err := python.Extract(context.Background(), "m.py", []byte(src), pin.Options{MaxSteps: 100_000})
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	if len(res.Pins) != 1 {
		t.Errorf("pins = %+v, want MANIFEST's", res.Pins)
	}
	if len(res.Unresolved) != 1 || res.Unresolved[0].Line != 2 || res.Unresolved[0].Symbol != "spin" ||
		!strings.Contains(res.Unresolved[0].Message, "def spin, which the module never calls, was read only up to line 4") {
		t.Errorf("unresolved = %+v, want one finding at def spin (line 2) naming line 4", res.Unresolved)
	}
}

// TestFindingsCap checks that a file of many stray digests reports the
// first MaxFindings and says how many more there were.
func TestFindingsCap(t *testing.T) {
	t.Parallel()
	const n = pin.MaxFindings + 234
	var b strings.Builder
	b.WriteString("MANIFEST = {}\n")
	for i := range n {
		fmt.Fprintf(&b, "D%d = \"%064x\"\n", i, i+1)
	}
	res := mustExtract(t, b.String(), pin.Options{})
	if got := len(res.Unresolved) + len(res.Invalid); got != pin.MaxFindings+1 {
		t.Fatalf("%d findings, want %d and one saying how many more", got, pin.MaxFindings+1)
	}
	if f := res.Unresolved[pin.MaxFindings-1]; f.Line != pin.MaxFindings+1 || f.Message != unreached {
		t.Errorf("last finding kept = %+v, want the stray on line %d", f, pin.MaxFindings+1)
	}
	last := res.Unresolved[pin.MaxFindings]
	want := pin.Finding{Message: fmt.Sprintf("234 more findings were left out: a file reports at most %d", pin.MaxFindings)}
	if diff := cmp.Diff(want, last); diff != "" {
		t.Errorf("final finding (-want +got):\n%s", diff)
	}
}

// unreached is the message of a digest no pin uses, read with the default
// symbols.
var unreached = python.UnreachedMessage(pin.Options{})

// TestUnreachedSaysWhatWasRead: a digest no pin uses names the symbols
// that were read and how to read them all, unless all were.
func TestUnreachedSaysWhatWasRead(t *testing.T) {
	t.Parallel()
	const src = "class C:\n    sha256 = \"" + "9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23" + "\"\n"
	cases := map[string]struct {
		symbols []string
		want    string
	}{
		"defaults": {nil, pin.MsgUnreached + " (only BASE_KERNELS, MANIFEST are read; symbols: [all], or --symbols all, reads every module-level name)"},
		"one":      {[]string{"DEPS"}, pin.MsgUnreached + " (only DEPS is read; symbols: [all], or --symbols all, reads every module-level name)"},
		"all":      {[]string{pin.AllSymbols}, pin.MsgUnreached},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			res := mustExtract(t, src, pin.Options{Symbols: c.symbols})
			var got []string
			for _, f := range res.Unresolved {
				if f.Line == 2 {
					got = append(got, f.Message)
				}
			}
			if diff := cmp.Diff([]string{c.want}, got); diff != "" {
				t.Errorf("findings at line 2 (-want +got):\n%s", diff)
			}
		})
	}
}

// TestImportIsAValueFinding: a name imported from a module pindrift does
// not evaluate is reported as a value that could not be known, not as a
// digest left unpaired.
func TestImportIsAValueFinding(t *testing.T) {
	t.Parallel()
	res := mustExtract(t, "from tools import fetch\n\nMANIFEST = fetch\n", pin.Options{})
	if len(res.Unresolved) != 1 || !res.Unresolved[0].Value || !strings.Contains(res.Unresolved[0].Message, "could not be evaluated") {
		t.Fatalf("unresolved %+v, want one value finding on the import", res.Unresolved)
	}
}

// TestUncalledDefCostsNoPinsThatRun: at the smallest budget a module fits
// in, adding a def it never calls (one that spins) leaves its pins found:
// the defs' share of the budget is given back before the sweep.
func TestUncalledDefCostsNoPinsThatRun(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("n = 0\nfor i in range(2000):\n    n += 1\n")
	for i := range 200 {
		fmt.Fprintf(&b, "L%d = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n", i)
	}
	b.WriteString(`MANIFEST = {"k": {"url": "https://e.org/k", "sha256": "` + shaA + `"}}` + "\n")
	module := b.String()
	fits := func(src string, steps int) bool {
		res, err := python.Extract(context.Background(), "m.py", []byte(src), pin.Options{MaxSteps: steps})
		return err == nil && len(res.Pins) == 1
	}
	lo, hi := 1, 10_000_000
	if !fits(module, hi) {
		t.Fatal("the module does not fit even a large budget")
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if fits(module, mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	// 1% over it pays for parsing the def itself.
	withDef := module + "\ndef spin():\n    while True:\n        pass\n"
	if budget := lo + lo/100; !fits(withDef, budget) {
		t.Errorf("at %d steps, 1%% over the smallest budget the module fits in, an uncalled spinning def costs the file its pin", budget)
	}
}
