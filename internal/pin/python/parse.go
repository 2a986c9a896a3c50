package python

import (
	"fmt"
	"sort"

	"github.com/pindrift/pindrift/internal/pin"
	sitter "github.com/tree-sitter/go-tree-sitter"
	python "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

// maxNesting bounds how deeply syntax may nest. CPython's own parser gives
// up far earlier (about 200 levels of parentheses); the bound keeps the
// converter and the evaluator from exhausting the stack on hostile input.
const maxNesting = 1000

var pythonLanguage = sitter.NewLanguage(python.Language())

// node is a syntax node copied out of tree-sitter. The evaluator walks these
// plain Go values instead of the cgo-backed tree so that re-evaluating a
// function body costs no foreign calls.
type node struct {
	kind   string
	start  int
	end    int
	line   int // 1-based
	col    int // 1-based, in bytes
	eline  int // 1-based line of the last byte
	kids   []*node
	fields []string // field name of each kid, "" if none
	// named is false for anonymous tokens (operators, slice colons), which
	// are kept only where their position carries meaning.
	named bool
	// srcText is the source text of a leaf (identifier, number, operator).
	srcText string
}

func (n *node) endLine() int { return n.eline }

func (n *node) span() pin.Span {
	return pin.Span{Start: n.start, End: n.end, Line: n.line, Column: n.col}
}

// field returns the first child with the given field name, or nil.
func (n *node) field(name string) *node {
	for i, f := range n.fields {
		if f == name {
			return n.kids[i]
		}
	}
	return nil
}

// fieldAll returns every child with the given field name.
func (n *node) fieldAll(name string) []*node {
	var out []*node
	for i, f := range n.fields {
		if f == name {
			out = append(out, n.kids[i])
		}
	}
	return out
}

// named returns the named children in order.
func (n *node) namedKids() []*node {
	out := make([]*node, 0, len(n.kids))
	for _, k := range n.kids {
		if k.named {
			out = append(out, k)
		}
	}
	return out
}

func (n *node) text(src []byte) string {
	if n.srcText != "" {
		return n.srcText
	}
	return string(src[n.start:n.end])
}

// parseModule parses src and converts the syntax tree, or reports the first
// syntax error with its position.
func parseModule(file string, src []byte) (*node, error) {
	p := sitter.NewParser()
	defer p.Close()
	if err := p.SetLanguage(pythonLanguage); err != nil {
		return nil, fmt.Errorf("tree-sitter: %w", err)
	}
	tree := p.Parse(src, nil)
	if tree == nil {
		return nil, &pin.SyntaxError{File: file, Line: 1, Column: 1, Msg: "the parser gave up"}
	}
	defer tree.Close()
	root := tree.RootNode()
	if root.HasError() {
		return nil, firstSyntaxError(file, src, root)
	}
	c := newConverter(file, src)
	mod := c.convertFlat(root)
	if mod == nil && c.err == nil {
		mod = c.convertTree(root)
	}
	if c.err != nil {
		return nil, c.err
	}
	if err := c.validate(mod); err != nil {
		return nil, err
	}
	return mod, nil
}

// lastLeaf returns the last token under n, or n itself.
func lastLeaf(n *sitter.Node) *sitter.Node {
	for depth := 0; n.ChildCount() > 0 && depth < maxNesting; depth++ {
		n = n.Child(n.ChildCount() - 1)
	}
	return n
}

// firstSyntaxError finds the earliest ERROR or MISSING node.
func firstSyntaxError(file string, src []byte, root *sitter.Node) error {
	var found *sitter.Node
	var visit func(n *sitter.Node, depth int)
	visit = func(n *sitter.Node, depth int) {
		if found != nil || depth > maxNesting {
			return
		}
		if n.IsError() || n.IsMissing() {
			found = n
			return
		}
		if !n.HasError() {
			return
		}
		for i := uint(0); i < n.ChildCount(); i++ {
			visit(n.Child(i), depth+1)
		}
	}
	visit(root, 0)
	if found == nil {
		return &pin.SyntaxError{File: file, Line: 1, Column: 1, Msg: "invalid syntax"}
	}
	if found.IsMissing() {
		pos := found.StartPosition()
		return &pin.SyntaxError{File: file, Line: int(pos.Row) + 1, Column: int(pos.Column) + 1,
			Msg: fmt.Sprintf("expected %q", found.Kind())}
	}
	// An ERROR node spans from where the parser lost track to the token it
	// could not place; that last token is where CPython would point.
	tok := lastLeaf(found)
	pos := tok.StartPosition()
	text := string(src[tok.StartByte():tok.EndByte()])
	if len(text) > 40 {
		text = text[:40] + "…"
	}
	msg := fmt.Sprintf("unexpected %q", text)
	if start := found.StartPosition(); start.Row != pos.Row {
		msg += fmt.Sprintf(" (in the statement starting at line %d)", start.Row+1)
	}
	return &pin.SyntaxError{File: file, Line: int(pos.Row) + 1, Column: int(pos.Column) + 1, Msg: msg}
}

// missing reports a token tree-sitter inserted to recover from an error
// (a MISSING node): the source is not valid Python, though the tree
// holds no ERROR node. "a:\n  b: 1\n" (YAML) parses that way.
func (c *converter) missing(kind string, line, col int) {
	if c.err != nil {
		return
	}
	what := kind
	if what == "" {
		what = "a token"
	}
	c.err = &pin.SyntaxError{File: c.file, Line: line, Column: col, Msg: fmt.Sprintf("expected %q here (the statement is incomplete)", what)}
}

// converter copies the tree with one cursor, caching kind and field names
// by id and computing line and column in Go: each foreign call is paid
// once per node, which keeps conversion cheaper than parsing itself.
type converter struct {
	src        []byte
	file       string
	err        error
	lineStarts []int
	// slabs backing the flat conversion's nodes and child lists
	slab      []node
	kidSlab   []*node
	fieldSlab []string
}

type kindInfo struct {
	name    string
	named   bool
	dropped bool
}

func newConverter(file string, src []byte) *converter {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &converter{src: src, file: file, lineStarts: starts}
}

// position turns a byte offset into a 1-based line and column.
func (c *converter) position(off int) (line, col int) {
	i := sort.Search(len(c.lineStarts), func(i int) bool { return c.lineStarts[i] > off }) - 1
	return i + 1, off - c.lineStarts[i] + 1
}

// The grammar's kind and field names, indexed by id, read once.
var (
	kindTable  []kindInfo
	fieldTable []string
)

func init() {
	kindTable = make([]kindInfo, pythonLanguage.NodeKindCount())
	for id := range kindTable {
		k := kindInfo{name: pythonLanguage.NodeKindForId(uint16(id)), named: pythonLanguage.NodeKindIsNamed(uint16(id))}
		// Comments and line continuations are extras that can appear
		// anywhere; the evaluator never wants them.
		k.dropped = k.name == "comment" || k.name == "line_continuation"
		kindTable[id] = k
	}
	fieldTable = make([]string, pythonLanguage.FieldCount()+1)
	for id := 1; id < len(fieldTable); id++ {
		fieldTable[id] = pythonLanguage.FieldNameForId(uint16(id))
	}
}

func (c *converter) kind(id uint16) kindInfo {
	if int(id) < len(kindTable) {
		return kindTable[id]
	}
	return kindInfo{name: pythonLanguage.NodeKindForId(id), named: pythonLanguage.NodeKindIsNamed(id)}
}

func (c *converter) field(id uint16) string {
	if int(id) < len(fieldTable) {
		return fieldTable[id]
	}
	return pythonLanguage.FieldNameForId(id)
}

// keepAnonymous reports parents whose anonymous tokens carry meaning by
// position (a slice's colons).
func keepAnonymous(kind string) bool { return kind == "slice" }

func (c *converter) convertTree(root *sitter.Node) *node {
	cur := root.Walk()
	defer cur.Close()
	return c.visit(cur, c.kind(root.KindId()), 0)
}

// visit converts the node under the cursor and its subtree, leaving the
// cursor where it found it.
func (c *converter) visit(cur *sitter.TreeCursor, k kindInfo, depth int) *node {
	n := cur.Node()
	start, end := int(n.StartByte()), int(n.EndByte())
	line, col := c.position(start)
	eline, _ := c.position(max(end-1, start))
	out := &node{kind: k.name, start: start, end: end, line: line, col: col, eline: eline, named: k.named}
	if n.IsMissing() {
		c.missing(k.name, line, col)
	}
	if depth > maxNesting {
		if c.err == nil {
			c.err = &pin.SyntaxError{File: c.file, Line: line, Column: col,
				Msg: fmt.Sprintf("nesting deeper than %d levels", maxNesting)}
		}
		return out
	}
	if !cur.GotoFirstChild() {
		out.srcText = string(c.src[start:end])
		return out
	}
	keepAnon := keepAnonymous(out.kind)
	for {
		child := cur.Node()
		ck := c.kind(child.KindId())
		field := c.field(cur.FieldId())
		switch {
		case ck.dropped:
		case ck.named || field != "" || keepAnon:
			out.kids = append(out.kids, c.visit(cur, ck, depth+1))
			out.fields = append(out.fields, field)
		}
		if !cur.GotoNextSibling() {
			break
		}
	}
	cur.GotoParent()
	return out
}
