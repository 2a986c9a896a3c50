package python_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python"
)

const (
	shaA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	shaB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

func mustExtract(t *testing.T, src string, opts pin.Options) *pin.Result {
	t.Helper()
	res, err := python.Extract(context.Background(), "m.py", []byte(src), opts)
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	return res
}

// TestBadInput checks that unusable input is refused with an error that
// says what and where, and never crashes or hangs.
func TestBadInput(t *testing.T) {
	cases := map[string]struct {
		src        string
		opts       pin.Options
		line, col  int
		wantSubstr string
		as         any
	}{
		"syntax error": {
			src: "A = 1\nB = (\n  'x',\n  ]\n", line: 4, col: 3, wantSubstr: "syntax error", as: new(*pin.SyntaxError),
		},
		"unterminated string": {
			src: "A = 1\nB = 'oops\n", line: 2, wantSubstr: "syntax error", as: new(*pin.SyntaxError),
		},
		"endless loop": {
			src: "A = 1\nwhile True:\n    A += 1\n", opts: pin.Options{MaxSteps: 100_000},
			line: 2, wantSubstr: "budget", as: new(*pin.BudgetError),
		},
		"runaway recursion": {
			src: "def f(n):\n    return f(n + 1)\nMANIFEST = f(0)\n", line: 2, wantSubstr: "nested deeper than", as: new(*pin.BudgetError),
		},
		"string bomb": {
			src: "MANIFEST = 'x' * (10 ** 12)\n", line: 1, wantSubstr: "larger than", as: new(*pin.BudgetError),
		},
		"list bomb": {
			src: "L = [0] * 1000\nfor i in range(30):\n    L = L + L\n", line: 3, wantSubstr: "", as: new(*pin.BudgetError),
		},
		"memory budget": {
			src: "A = 1\nL = [0] * 100_000\n", opts: pin.Options{MaxMemory: 1 << 20},
			line: 2, wantSubstr: "memory budget of 1048576 bytes", as: new(*pin.BudgetError),
		},
		"deep nesting": {
			src: "A = " + strings.Repeat("(", 1500) + "1" + strings.Repeat(")", 1500) + "\n", line: 1, wantSubstr: "nest", as: new(*pin.SyntaxError),
		},
		"too large": {
			src: "A = 1\n" + strings.Repeat("# padding\n", 300), opts: pin.Options{MaxFileBytes: 1024},
			wantSubstr: "over the 1024-byte limit", as: new(*pin.TooLargeError),
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := python.Extract(context.Background(), "m.py", []byte(c.src), c.opts)
			if err == nil {
				t.Fatal("Extract succeeded, want an error")
			}
			if !errors.As(err, c.as) {
				t.Fatalf("error %T (%v), want %T", err, err, c.as)
			}
			if !strings.Contains(err.Error(), c.wantSubstr) {
				t.Errorf("error %q does not mention %q", err, c.wantSubstr)
			}
			if c.line > 0 && !strings.Contains(err.Error(), "m.py:"+strconv.Itoa(c.line)+":") {
				t.Errorf("error %q does not name line %d", err, c.line)
			}
			if c.col > 0 && !strings.Contains(err.Error(), ":"+strconv.Itoa(c.line)+":"+strconv.Itoa(c.col)+":") {
				t.Errorf("error %q does not name column %d", err, c.col)
			}
		})
	}
}

// TestIncompleteContainerIsReported: rows added by a loop over an unknown
// value must not vanish silently; the known rows are still pins.
func TestIncompleteContainerIsReported(t *testing.T) {
	src := `from presets import EXTRA
MANIFEST = {"base": {"url": "https://example.com/base", "sha256": "` + shaA + `"}}
for name in EXTRA:
    MANIFEST[name] = {"url": "https://example.com/" + name, "sha256": "` + shaB + `"}

def register(rows):
    for r in rows:
        BASE_KERNELS.append(r)
BASE_KERNELS = [{"url": "https://example.com/k", "sha256": "` + shaB + `"}]
register(EXTRA)
`
	res := mustExtract(t, src, pin.Options{})
	if len(res.Pins) != 2 {
		t.Fatalf("pins = %+v, want the two known rows", res.Pins)
	}
	var msgs []string
	for _, u := range res.Unresolved {
		msgs = append(msgs, u.Message)
	}
	want := []string{"MANIFEST may be incomplete", "BASE_KERNELS may be incomplete"}
	for _, w := range want {
		found := false
		for _, m := range msgs {
			found = found || strings.HasPrefix(m, w) && strings.Contains(m, "EXTRA")
		}
		if !found {
			t.Errorf("no unresolved finding starting %q and naming EXTRA; got %q", w, msgs)
		}
	}
}

func TestSymbols(t *testing.T) {
	src := `ROWS = [{"url": "https://example.com/a", "sha256": "` + shaA + `"}]
MANIFEST = {"b": {"url": "https://example.com/b", "sha256": "` + shaB + `"}}
`
	t.Run("default symbols", func(t *testing.T) {
		res := mustExtract(t, src, pin.Options{})
		if len(res.Pins) != 1 || res.Pins[0].Path != `MANIFEST["b"]` {
			t.Errorf("pins = %+v, want only MANIFEST[\"b\"]", res.Pins)
		}
		// A missing default symbol (BASE_KERNELS) is no finding; ROWS's
		// digest, which no default symbol reaches, is.
		want := []pin.Finding{{Symbol: "<module>", Line: 1, Column: 52, Message: unreached,
			Span: pin.Span{Start: 51, End: 117, Line: 1, Column: 52}}}
		if diff := cmp.Diff(want, res.Unresolved); diff != "" {
			t.Errorf("unresolved (-want +got):\n%s", diff)
		}
	})
	t.Run("all", func(t *testing.T) {
		res := mustExtract(t, src, pin.Options{Symbols: []string{pin.AllSymbols}})
		var paths []string
		for _, p := range res.Pins {
			paths = append(paths, p.Path)
		}
		if diff := cmp.Diff([]string{"ROWS[0]", `MANIFEST["b"]`}, paths); diff != "" {
			t.Errorf("paths (-want +got):\n%s", diff)
		}
	})
	t.Run("named symbol missing", func(t *testing.T) {
		res := mustExtract(t, src, pin.Options{Symbols: []string{"ROWS", "NOPE"}})
		// MANIFEST is not read, so its digest is reported too.
		if len(res.Pins) != 1 || len(res.Unresolved) != 2 || !strings.Contains(res.Unresolved[0].Message, "NOPE is not defined") ||
			res.Unresolved[1].Message != python.UnreachedMessage(pin.Options{Symbols: []string{"ROWS", "NOPE"}}) ||
			!strings.Contains(res.Unresolved[1].Message, "only ROWS, NOPE are read") || res.Unresolved[1].Line != 2 {
			t.Errorf("got pins %+v unresolved %+v, want one pin, NOPE reported and MANIFEST's digest unreached", res.Pins, res.Unresolved)
		}
	})
	t.Run("no default symbol at all", func(t *testing.T) {
		res := mustExtract(t, "X = 1\n", pin.Options{})
		if len(res.Unresolved) != 1 || !strings.Contains(res.Unresolved[0].Message, "none of BASE_KERNELS, MANIFEST") {
			t.Errorf("unresolved = %+v, want a finding saying no symbol holds pins", res.Unresolved)
		}
	})
}

func TestPlatformsUnion(t *testing.T) {
	src := `import platform, sys
ARCH = {"x86_64": "amd64", "arm64": "arm64", "AMD64": "amd64"}[platform.machine()]
OS = sys.platform
MANIFEST = {"k": {"url": f"https://example.com/{OS}-{ARCH}", "sha256": "` + shaA + `"}}
`
	plat := func(s string) pin.Platform {
		p, err := pin.ParsePlatform(s)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	res := mustExtract(t, src, pin.Options{Platforms: []pin.Platform{plat("linux"), plat("darwin/arm64"), plat("windows")}})
	got := map[string][]string{}
	for _, p := range res.Pins {
		got[p.URL] = p.Platforms
	}
	want := map[string][]string{
		"https://example.com/linux-amd64":  {"linux"},
		"https://example.com/darwin-arm64": {"darwin/arm64"},
		"https://example.com/win32-amd64":  {"windows"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pins by platform (-want +got):\n%s", diff)
	}
}

func TestEnvironment(t *testing.T) {
	src := `import os
TAG = os.environ.get("TAG") or "v1"
MIRROR = os.environ["MIRROR"] if "MIRROR" in os.environ else "https://example.com"
MANIFEST = {"k": {"url": f"{MIRROR}/{TAG}/k", "sha256": "` + shaA + `"}}
`
	cases := map[string]struct {
		env  map[string]string
		want string
	}{
		"empty environment": {nil, "https://example.com/v1/k"},
		"overrides":         {map[string]string{"TAG": "v2", "MIRROR": "https://mirror.test"}, "https://mirror.test/v2/k"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			res := mustExtract(t, src, pin.Options{Env: c.env})
			if len(res.Pins) != 1 || res.Pins[0].URL != c.want {
				t.Errorf("pins = %+v, want URL %s", res.Pins, c.want)
			}
		})
	}
}

func TestSHALiteralSpans(t *testing.T) {
	src := "MANIFEST = {\n" +
		"  'plain': {'url': 'https://e.com/a', 'sha256': '" + shaA + "'},\n" +
		"  'paren': {'url': 'https://e.com/b', 'sha256': (\n      \"" + shaB + "\"\n  )},\n" +
		"  'parts': {'url': 'https://e.com/c', 'sha256': '" + shaA[:32] + "' '" + shaA[32:] + "'},\n" +
		"}\n"
	res := mustExtract(t, src, pin.Options{})
	if len(res.Pins) != 3 {
		t.Fatalf("pins = %+v", res.Pins)
	}
	for _, p := range res.Pins {
		text := src[p.SHASpan.Start:p.SHASpan.End]
		switch p.Path {
		case `MANIFEST["plain"]`, `MANIFEST["paren"]`:
			if !p.SHALiteral || text[1:len(text)-1] != p.SHA256 {
				t.Errorf("%s: span text %q, literal %v; want the quoted SHA, rewritable", p.Path, text, p.SHALiteral)
			}
		case `MANIFEST["parts"]`:
			if p.SHALiteral {
				t.Errorf("%s: a SHA built from two literals is marked rewritable in place", p.Path)
			}
		}
	}
	if p := res.Pins[1]; p.SHASpan.Line != 4 || p.SHASpan.Column != 7 {
		t.Errorf("paren SHA at %d:%d, want 4:7", p.SHASpan.Line, p.SHASpan.Column)
	}
}

func TestUnique(t *testing.T) {
	src := `K = {"url": "https://e.com/k", "sha256": "` + shaA + `"}
MANIFEST = {"a": K, "b": K, "c": {"url": "https://e.com/k", "sha256": "` + shaB + `"}}
`
	res := mustExtract(t, src, pin.Options{})
	if len(res.Pins) != 3 {
		t.Errorf("rows = %d, want 3 (duplicates are kept as rows)", len(res.Pins))
	}
	if u := res.Unique(); len(u) != 2 {
		t.Errorf("unique pairs = %d, want 2 (same URL, two SHAs)", len(u))
	}
}
