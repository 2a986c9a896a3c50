package syntax

import (
	"fmt"
	"sync"

	sitter "github.com/tree-sitter/go-tree-sitter"
	python "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

// MaxNesting bounds how deeply syntax may nest. CPython's own parser gives
// up far earlier (about 200 levels of parentheses); the bound keeps the
// converter and the evaluator from exhausting the stack on hostile input.
const MaxNesting = 1000

// Error is source that is not valid Python, at the place CPython would
// point to.
type Error struct {
	Line int // 1-based
	Col  int // 1-based, in bytes
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// language is the grammar, with the tables that map its symbol and field
// ids to Kind and Field, built on the first parse.
var language struct {
	once   sync.Once
	lang   *sitter.Language
	kinds  []kindInfo // by tree-sitter symbol id
	fields []Field    // by tree-sitter field id
}

type kindInfo struct {
	kind Kind
	// name is the grammar's name of the symbol, anonymous ones included,
	// for error messages.
	name    string
	named   bool
	dropped bool
}

// setup prepares the grammar tables and switches tree-sitter to its own
// allocator, once, when the first parse needs them: a binary that links
// this package but never parses pays nothing.
func setup() *sitter.Language {
	language.once.Do(func() {
		useDirectAllocator()
		lang := sitter.NewLanguage(python.Language())
		byName := make(map[string]Kind, len(kindNames))
		for k, name := range kindNames {
			byName[name] = Kind(k)
		}
		language.kinds = make([]kindInfo, lang.NodeKindCount())
		for id := range language.kinds {
			k := kindInfo{name: lang.NodeKindForId(uint16(id)), named: lang.NodeKindIsNamed(uint16(id))}
			if k.named {
				k.kind = byName[k.name]
			}
			// Comments and line continuations are extras that can appear
			// anywhere; the evaluator never wants them.
			k.dropped = k.kind == Comment || k.kind == LineContinuation
			language.kinds[id] = k
		}
		fieldByName := make(map[string]Field, len(fieldNames))
		for f, name := range fieldNames {
			fieldByName[name] = Field(f)
		}
		language.fields = make([]Field, lang.FieldCount()+1)
		for id := 1; id < len(language.fields); id++ {
			language.fields[id] = fieldByName[lang.FieldNameForId(uint16(id))]
		}
		language.lang = lang
	})
	return language.lang
}

// Parse parses a Python module and converts its syntax tree, or reports
// the first syntax error with its position as an *Error.
func Parse(src []byte) (*Node, error) {
	p := sitter.NewParser()
	defer p.Close()
	if err := p.SetLanguage(setup()); err != nil {
		return nil, fmt.Errorf("tree-sitter: %w", err)
	}
	tree := p.Parse(src, nil)
	if tree == nil {
		return nil, &Error{Line: 1, Col: 1, Msg: "the parser gave up"}
	}
	defer tree.Close()
	root := tree.RootNode()
	if root.HasError() {
		return nil, firstSyntaxError(src, root)
	}
	c := newConverter(src)
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
	for depth := 0; n.ChildCount() > 0 && depth < MaxNesting; depth++ {
		n = n.Child(n.ChildCount() - 1)
	}
	return n
}

// firstSyntaxError finds the earliest ERROR or MISSING node.
func firstSyntaxError(src []byte, root *sitter.Node) error {
	var found *sitter.Node
	var visit func(n *sitter.Node, depth int)
	visit = func(n *sitter.Node, depth int) {
		if found != nil || depth > MaxNesting {
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
		return &Error{Line: 1, Col: 1, Msg: "invalid syntax"}
	}
	if found.IsMissing() {
		pos := found.StartPosition()
		return &Error{Line: int(pos.Row) + 1, Col: int(pos.Column) + 1,
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
	return &Error{Line: int(pos.Row) + 1, Col: int(pos.Column) + 1, Msg: msg}
}
