package manifest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/manifest"
)

// FuzzExtract feeds arbitrary source to the evaluator: it must return
// pins or an error, never panic or hang, and every pin it returns must
// point inside the file. Run: go test -fuzz=FuzzExtract ./internal/manifest
func FuzzExtract(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/synthetic/*.py")
	fixtures, _ := filepath.Glob(filepath.Join(fixtureDir, "*.py"))
	for _, path := range append(seeds, fixtures...) {
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
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		res, err := manifest.Extract(context.Background(), "fuzz.py", src, manifest.Options{
			Symbols:  []string{manifest.AllSymbols},
			MaxSteps: 200_000,
		})
		if err != nil {
			return
		}
		for _, p := range res.Pins {
			for _, sp := range []manifest.Span{p.SHASpan, p.URLSpan} {
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
	})
}
