package tree

import (
	"testing"

	"github.com/pindrift/pindrift/internal/pin"
)

// FuzzParse checks, for every format, that hostile input ends in a tree
// or an error, never a panic, and that every scalar claimed Literal is
// written, between its delimiters, exactly as its value: the promise
// bot fix relies on to rewrite it in place.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"url": "https://x/a", "sha256": "ab\u0041"}`,
		"a: &x [b, 'c''d', \"e\\tf\"]\nb: *x\nc: |\n  g\n",
		"[[assets]]\nurl = 'u'\nsha256 = \"\"\"\nx\"\"\"\n[t]\nk = {a = 1}\n",
		"{k: v, ? x : y}", "- !!str 1\n- &a !t z\n",
	} {
		f.Add(s)
	}
	lim := Limits{MaxBytes: 1 << 16, MaxDepth: 32, MaxNodes: 10000}
	f.Fuzz(func(t *testing.T, src string) {
		for name, parse := range parsers {
			root, err := parse("f", []byte(src), lim)
			if err != nil {
				continue
			}
			checkLiterals(t, name, src, root, 0)
		}
	})
}

func checkLiterals(t *testing.T, format, src string, n *Node, depth int) {
	if depth > 40 {
		return // shared YAML nodes were checked where they were first met
	}
	switch n.Kind {
	case Scalar:
		if !n.Literal {
			return
		}
		sp := n.Span
		if sp.Start < 0 || sp.End > len(src) || sp.Start > sp.End {
			t.Fatalf("%s: span %+v outside the source", format, sp)
		}
		text := src[sp.Start:sp.End]
		for _, q := range []string{`"""`, "'''", `"`, "'"} {
			if len(text) >= 2*len(q) && text[:len(q)] == q && text[len(text)-len(q):] == q && text[len(q):len(text)-len(q)] == n.Value {
				return
			}
		}
		if text != n.Value {
			t.Fatalf("%s: literal %q at %+v, value %q", format, text, sp, n.Value)
		}
		if want := (lineIndex(newLineIndex([]byte(src)))).span(sp.Start, sp.End); want != sp {
			t.Fatalf("%s: span %+v, its offsets say %+v", format, sp, want)
		}
	case Mapping:
		for _, e := range n.Entries {
			checkLiterals(t, format, src, e.Value, depth+1)
		}
	case Sequence:
		for _, c := range n.Items {
			checkLiterals(t, format, src, c, depth+1)
		}
	}
	_ = pin.Span{}
}
