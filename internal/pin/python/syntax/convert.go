package syntax

import (
	"fmt"
	"sort"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// converter copies the tree, caching kinds and fields by id and computing
// line and column in Go: each foreign call is paid once per node, which
// keeps conversion cheaper than parsing itself.
type converter struct {
	src        []byte
	err        error
	lineStarts []int
	// slabs backing the flat conversion's nodes and child lists
	slab      []Node
	kidSlab   []*Node
	fieldSlab []Field
}

func newConverter(src []byte) *converter {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &converter{src: src, lineStarts: starts}
}

// position turns a byte offset into a 1-based line and column.
func (c *converter) position(off int) (line, col int) {
	i := sort.Search(len(c.lineStarts), func(i int) bool { return c.lineStarts[i] > off }) - 1
	return i + 1, off - c.lineStarts[i] + 1
}

func (c *converter) kind(id uint16) kindInfo {
	if int(id) < len(language.kinds) {
		return language.kinds[id]
	}
	return kindInfo{name: language.lang.NodeKindForId(id), named: language.lang.NodeKindIsNamed(id)}
}

func (c *converter) field(id uint16) Field {
	if int(id) < len(language.fields) {
		return language.fields[id]
	}
	return NoField
}

// keepAnonymous reports parents whose anonymous tokens carry meaning by
// position (a slice's colons).
func keepAnonymous(k Kind) bool { return k == Slice }

// missing reports a token tree-sitter inserted to recover from an error
// (a MISSING node): the source is not valid Python, though the tree
// holds no ERROR node. "a:\n  b: 1\n" (YAML) parses that way.
func (c *converter) missing(name string, line, col int) {
	if c.err != nil {
		return
	}
	what := name
	if what == "" {
		what = "a token"
	}
	c.err = &Error{Line: line, Col: col, Msg: fmt.Sprintf("expected %q here (the statement is incomplete)", what)}
}

// tooDeep reports nesting beyond MaxNesting.
func (c *converter) tooDeep(line, col int) {
	if c.err == nil {
		c.err = &Error{Line: line, Col: col, Msg: fmt.Sprintf("nesting deeper than %d levels", MaxNesting)}
	}
}

// convertTree converts with a cursor, one foreign call per node and
// property: the fallback when the flat conversion is unavailable.
func (c *converter) convertTree(root *sitter.Node) *Node {
	cur := root.Walk()
	defer cur.Close()
	return c.visit(cur, c.kind(root.KindId()), 0)
}

// visit converts the node under the cursor and its subtree, leaving the
// cursor where it found it.
func (c *converter) visit(cur *sitter.TreeCursor, k kindInfo, depth int) *Node {
	n := cur.Node()
	start, end := int(n.StartByte()), int(n.EndByte())
	line, col := c.position(start)
	eline, _ := c.position(max(end-1, start))
	out := &Node{Kind: k.kind, Start: start, End: end, Line: line, Col: col, EndLine: eline, Named: k.named}
	if n.IsMissing() {
		c.missing(k.name, line, col)
	}
	if depth > MaxNesting {
		c.tooDeep(line, col)
		return out
	}
	if !cur.GotoFirstChild() {
		out.Token = string(c.src[start:end])
		return out
	}
	keepAnon := keepAnonymous(out.Kind)
	for {
		child := cur.Node()
		ck := c.kind(child.KindId())
		field := c.field(cur.FieldId())
		switch {
		case ck.dropped:
		case ck.named || field != NoField || keepAnon:
			out.Kids = append(out.Kids, c.visit(cur, ck, depth+1))
			out.Fields = append(out.Fields, field)
		}
		if !cur.GotoNextSibling() {
			break
		}
	}
	cur.GotoParent()
	return out
}
