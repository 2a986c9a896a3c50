package python_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python"
)

// starRow is what the Starlark tests compare of a pin or a finding.
type starRow struct {
	URL, Symbol, Path string
	Line              int
	Message           string
}

func starRows(res *pin.Result) (pins, unresolved, invalid []starRow) {
	for _, p := range res.Pins {
		pins = append(pins, starRow{URL: p.URL, Symbol: p.Symbol, Path: p.Path, Line: p.SHASpan.Line})
	}
	for _, f := range res.Unresolved {
		unresolved = append(unresolved, starRow{Symbol: f.Symbol, Path: f.Path, Line: f.Line, Message: f.Message})
	}
	for _, f := range res.Invalid {
		invalid = append(invalid, starRow{Symbol: f.Symbol, Path: f.Path, Line: f.Line, Message: f.Message})
	}
	return pins, unresolved, invalid
}

func TestStarlarkMode(t *testing.T) {
	t.Parallel()
	star := pin.Options{Format: pin.Starlark}
	tests := map[string]struct {
		src                       string
		opts                      pin.Options
		pins, unresolved, invalid []starRow
	}{
		"a loaded constant is unknown, with the file it comes from": {
			src: `load("@deps//:versions.bzl", "VERSION", mirror = "MIRROR")
http_file(name = "x", url = "https://e.org/x-" + VERSION, sha256 = "` + shaA + `")
http_file(name = "y", url = mirror + "/y", sha256 = "` + shaB + `")
`,
			opts: star,
			unresolved: []starRow{
				{Symbol: "<module>", Path: `http_file(name="x")`, Line: 2,
					Message: `http_file(name="x"): url depends on a value the evaluator cannot know: VERSION is loaded from @deps//:versions.bzl, not evaluated (line 1)`},
				{Symbol: "<module>", Path: `http_file(name="y")`, Line: 3,
					Message: `http_file(name="y"): url depends on a value the evaluator cannot know: mirror is loaded from @deps//:versions.bzl, not evaluated (line 1)`},
			},
		},
		"a def reached from another uncalled def runs with its caller's arguments, once": {
			src: `def _archive(version):
    http_archive(name = "a", urls = ["https://e.org/a-%s.tgz" % version], sha256 = "` + shaA + `")

def deps():
    _archive("1.0")
`,
			opts: star,
			pins: []starRow{{URL: "https://e.org/a-1.0.tgz", Symbol: "_archive", Path: `http_archive(name="a")`, Line: 2}},
		},
		"a def the module calls is not run again with unknown parameters": {
			src: `def deps(version):
    http_archive(name = "a", urls = ["https://e.org/a-%s.tgz" % version], sha256 = "` + shaA + `")

deps("2.0")
`,
			opts: star,
			pins: []starRow{{URL: "https://e.org/a-2.0.tgz", Symbol: "deps", Path: `http_archive(name="a")`, Line: 2}},
		},
		"a digest with no URL in its call, and one in no call at all": {
			src: `http_file(name = "x", sha256 = "` + shaA + `")
SHAS = {"x": "` + shaB + `"}
BAD = "sha256:1234"
`,
			opts: star,
			unresolved: []starRow{
				{Symbol: "<module>", Path: `http_file(name="x")`, Line: 1, Message: pin.MsgNoURL},
				{Symbol: "<module>", Line: 2, Message: pin.MsgNoURL},
			},
			invalid: []starRow{{Symbol: "<module>", Line: 3, Message: pin.MsgLooksLike}},
		},
		"a digest that reaches its record through a method is not also stray": {
			src: `SHA = "` + strings.ToUpper(shaA) + `"
http_file(name = "x", url = "https://e.org/x", sha256 = SHA.lower())
`,
			opts: star,
			pins: []starRow{{URL: "https://e.org/x", Symbol: "<module>", Path: `http_file(name="x")`, Line: 2}},
		},
		"Python mode reads records from the calls it runs, and from the defs it never calls": {
			src: `download(name = "a", url = "https://e.org/a.tgz", sha256 = "` + shaA + `")
def later():
    download(name = "b", url = "https://e.org/b.tgz", sha256 = "` + shaB + `")
`,
			opts: pin.Options{Format: pin.Python, Symbols: []string{pin.AllSymbols}},
			pins: []starRow{
				{URL: "https://e.org/a.tgz", Symbol: "<module>", Path: `download(name="a")`, Line: 1},
				{URL: "https://e.org/b.tgz", Symbol: "later", Path: `download(name="b")`, Line: 3},
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			pins, unresolved, invalid := starRows(mustExtract(t, tc.src, tc.opts))
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

// TestStarlarkUncalledDefBudget checks that the bodies run for their
// records pay the step budget like the module.
func TestStarlarkUncalledDefBudget(t *testing.T) {
	t.Parallel()
	src := "def spin(n):\n    x = 0\n    for i in range(1000000000):\n        x += 1\n"
	_, err := python.Extract(context.Background(), "m.bzl", []byte(src), pin.Options{Format: pin.Starlark, MaxSteps: 100000})
	var be *pin.BudgetError
	if !errors.As(err, &be) || be.Line < 3 {
		t.Fatalf("err = %v, want a *pin.BudgetError in the loop", err)
	}
}

// TestStarlarkRecordBudget checks that the pins a call makes are paid
// for: a thousand digests times ten thousand mirrors is a budget error,
// not ten million pins.
func TestStarlarkRecordBudget(t *testing.T) {
	t.Parallel()
	src := `u = ["https://e.org/%d" % j for j in range(10000)]
def deps():
    for i in range(1000):
        http_archive(urls = u, sha256 = "%064d" % i)
deps()
`
	_, err := python.Extract(context.Background(), "m.bzl", []byte(src), pin.Options{Format: pin.Starlark})
	var be *pin.BudgetError
	if !errors.As(err, &be) || be.Line != 4 {
		t.Fatalf("err = %v, want a *pin.BudgetError at the call (line 4)", err)
	}
}
