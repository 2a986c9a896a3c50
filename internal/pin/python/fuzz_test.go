package python_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python"
)

// FuzzExtract feeds arbitrary source to the evaluator: it must return
// pins or an error, never panic or hang, and every pin it returns must
// point inside the file. Run: go test -fuzz=FuzzExtract ./internal/pin/python
func FuzzExtract(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/synthetic/*.py")
	fixtures, _ := filepath.Glob(filepath.Join(fixtureDir, "*.py"))
	hostile, _ := filepath.Glob(filepath.Join(hostileDir, "*.py"))
	seeds = append(append(seeds, fixtures...), hostile...)
	for _, path := range seeds {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, s := range []string{
		"while True:\n    pass\n",
		"def f(n):\n    return f(n)\nMANIFEST = f(1)\n",
		"MANIFEST = {'a': {'url': f'{1:>{2}}', 'sha256': '%s' % ('a' * 64)}}\n",
		"x = [[]] * 10\nfor i in range(10):\n    x = x + x\n",
		"class A:\n    url: str\n    sha: str = 'b' * 64\nMANIFEST = [A(url='u')]\n",
		// Cycles and shared structure in every operation that follows values.
		"a = []\na.append(a)\nb = [b for b in [a]]\nx = (a == b, a < b, a in b, repr(a), str({1: a}), sorted([a, b]))\n",
		"d = {}\nd['k'] = d\nMANIFEST = {'url': f'{d}', 'sha256': '%r' % (d,), 'x': d}\n",
		"t = (1,)\nfor i in range(40):\n    t = (t, t)\nx = {t: str(t)}\nMANIFEST = [t]\n",
		"class R:\n    url: str\n    sha256: str\nr = R(url='u', sha256='a' * 64)\nr.url = [r]\nMANIFEST = [r, r == r]\n",
		// Large values and widths.
		"s = 'x' * 8_000_000\nx = [s.find('y'), s.count('x'), s[1:], s.split('x')[:1], '%*d' % (10**9, 1)]\n",
		"x = f\"{1:>8000000}\" + '{:^{}}'.format('a', 10**7)\n",
		"def f(*a, **k):\n    return a\nx = f(*range(10**7), **{str(i): i for i in range(10)})\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkFuzzed(t, "fuzz.py", src, pin.Options{Symbols: []string{pin.AllSymbols}, MaxSteps: 200_000})
	})
}

// FuzzExtractStarlark is FuzzExtract in Starlark mode, where calls are
// records, uncalled defs run and every branch of an unknown if is read.
// Run: go test -fuzz=FuzzExtractStarlark ./internal/pin/python
func FuzzExtractStarlark(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/starlark/*.bzl")
	more, _ := filepath.Glob("testdata/starlark/*/*.bzl")
	hostile, _ := filepath.Glob(filepath.Join(hostileDir, "*.py"))
	for _, path := range append(append(seeds, more...), hostile...) {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, s := range []string{
		"def f(a):\n    if a:\n        f(a)\n    else:\n        http_archive(url = a, sha256 = a)\n",
		"def f(*a, **k):\n    maybe(http_archive, **k)\n    while a:\n        pass\n",
		"load('x', 'y')\ny(urls = [y] * 1000, sha256 = 'a' * 64, name = '{name}')\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkFuzzed(t, "fuzz.bzl", src, pin.Options{Format: pin.Starlark, MaxSteps: 200_000})
	})
}

// checkFuzzed extracts src and fails on a pin that points outside it.
func checkFuzzed(t *testing.T, file string, src []byte, opts pin.Options) {
	t.Helper()
	res, err := python.Extract(context.Background(), file, src, opts)
	if err != nil {
		return
	}
	for _, p := range res.Pins {
		for _, sp := range []pin.Span{p.SHASpan, p.URLSpan} {
			if sp.Start < 0 || sp.End > len(src) || sp.Start > sp.End {
				t.Fatalf("pin %s: span %+v outside a %d-byte file", p.Path, sp, len(src))
			}
		}
		if p.SHALiteral {
			text := string(src[p.SHASpan.Start:p.SHASpan.End])
			if !strings.Contains(text, p.SHA256) {
				t.Fatalf("pin %s: literal span %q does not hold %s", p.Path, text, p.SHA256)
			}
		}
	}
}
