package syntax

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// TestFlatConversionMatchesCursor checks the one-call conversion against
// the per-node cursor walk it replaces, on every manifest at hand.
func TestFlatConversionMatchesCursor(t *testing.T) {
	if !flattenSupported {
		t.Fatal("go-tree-sitter's Node layout differs from the declarations in flatten.go; update them to the pinned version")
	}
	files, _ := filepath.Glob("../testdata/synthetic/*.py")
	fixtures, _ := filepath.Glob("../../../../../shared/fixtures/smolvm-published/*.py")
	files = append(files, fixtures...)
	if len(files) == 0 {
		t.Fatal("no manifests found")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			p := sitter.NewParser()
			defer p.Close()
			if err := p.SetLanguage(setup()); err != nil {
				t.Fatal(err)
			}
			tree := p.Parse(src, nil)
			defer tree.Close()
			flat := newConverter(src).convertFlat(tree.RootNode())
			walked := newConverter(src).convertTree(tree.RootNode())
			if flat == nil {
				t.Fatal("flat conversion declined")
			}
			if where := firstDifference(walked, flat, "module"); where != "" {
				t.Errorf("trees differ at %s", where)
			}
		})
	}
}

// firstDifference compares two converted trees and describes the first
// node where they differ, or returns "".
func firstDifference(a, b *Node, path string) string {
	if a.Kind != b.Kind || a.Start != b.Start || a.End != b.End || a.Line != b.Line || a.Col != b.Col ||
		a.EndLine != b.EndLine || a.Named != b.Named || a.Token != b.Token || len(a.Kids) != len(b.Kids) {
		return fmt.Sprintf("%s: %+v vs %+v", path, *a, *b)
	}
	for i := range a.Kids {
		if a.Fields[i] != b.Fields[i] {
			return fmt.Sprintf("%s child %d: field %q vs %q", path, i, a.Fields[i], b.Fields[i])
		}
		if d := firstDifference(a.Kids[i], b.Kids[i], fmt.Sprintf("%s/%s[%d]", path, a.Kids[i].Kind, i)); d != "" {
			return d
		}
	}
	return ""
}
