package syntax

import (
	"os"
	"testing"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// realManifest is the newest real published.py, about 22 KB.
const realManifest = "../../../../../shared/fixtures/smolvm-published/21_2026-06-14_269c1a5.py"

// BenchmarkParse measures tree-sitter parsing alone (the floor any
// extractor built on it pays) next to parsing plus conversion to Nodes.
func BenchmarkParse(b *testing.B) {
	src, err := os.ReadFile(realManifest)
	if err != nil {
		b.Skipf("real manifest not available (%v)", err)
	}
	b.Run("tree-sitter-only", func(b *testing.B) {
		p := sitter.NewParser()
		defer p.Close()
		if err := p.SetLanguage(setup()); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			p.Parse(src, nil).Close()
		}
	})
	b.Run("parse+convert", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			if _, err := Parse(src); err != nil {
				b.Fatal(err)
			}
		}
	})
}
