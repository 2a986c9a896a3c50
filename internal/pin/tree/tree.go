// Package tree turns JSON, YAML and TOML documents into one small document
// tree: ordered mappings, sequences and scalars, each with the exact byte
// span of its source text. It owns format parsing and nothing else; which
// keys hold pins is pin/record's business. It imports only pin and the
// format parsers (go.yaml.in/yaml/v3, go-toml's unstable parser), never
// verify, patch or runner.
//
// All input is hostile: every parser bounds the file size, the nesting
// depth and the number of nodes (YAML aliases counted once per use), and
// reports unusable input as *pin.SyntaxError, *pin.TooLargeError or
// *pin.BudgetError with a line and column.
package tree

import (
	"fmt"
	"unicode/utf8"

	"github.com/pindrift/pindrift/internal/pin"
)

// Kind is what a Node holds.
type Kind uint8

// The kinds of node.
const (
	Scalar Kind = iota + 1
	Mapping
	Sequence
)

// Node is one value of a document. A node reached through several YAML
// aliases is shared, so the tree is a DAG whose expanded size is Size.
type Node struct {
	Kind Kind
	// Value is a scalar's value, decoded (escapes applied, lines folded).
	Value string
	// String reports a string scalar, as opposed to a number, boolean,
	// null or date.
	String bool
	// Span locates the node's source text: a scalar's whole literal,
	// quotes included; the first line of a block scalar; a container's
	// opening. Line and Column always point at the node.
	Span pin.Span
	// Literal reports that Span's text between its quotes (the whole
	// text, for a plain scalar) is exactly Value, so that the value can
	// be rewritten in place by replacing those bytes.
	Literal bool
	// Entries are a mapping's key-value pairs in document order.
	Entries []Entry
	// Items are a sequence's elements.
	Items []*Node
	// Size is the number of nodes under and including this one, shared
	// nodes counted once per use.
	Size int
	// index maps the keys of a large mapping to their entries, so that
	// building a table of thousands of keys stays linear.
	index map[string]int
}

// Get returns the value of a mapping's key.
func (n *Node) Get(key string) (*Node, bool) {
	if i, ok := n.find(key); ok {
		return n.Entries[i].Value, true
	}
	return nil, false
}

func (n *Node) find(key string) (int, bool) {
	if n.index != nil {
		i, ok := n.index[key]
		return i, ok
	}
	for i, e := range n.Entries {
		if e.Key == key {
			return i, true
		}
	}
	return 0, false
}

// add appends e to a mapping, indexing its keys once there are many.
func (n *Node) add(e Entry) {
	n.Entries = append(n.Entries, e)
	const linear = 16
	switch {
	case n.index != nil:
		n.index[e.Key] = len(n.Entries) - 1
	case len(n.Entries) > linear:
		n.index = make(map[string]int, 2*len(n.Entries))
		for i, e := range n.Entries {
			if _, dup := n.index[e.Key]; !dup {
				n.index[e.Key] = i
			}
		}
	}
}

// Entry is one key of a mapping and its value.
type Entry struct {
	Key     string
	KeySpan pin.Span
	Value   *Node
}

// Limits bound the work of parsing one document.
type Limits struct {
	MaxBytes int
	MaxDepth int
	MaxNodes int
}

// LimitsOf reads the limits of opts, defaults applied.
func LimitsOf(opts pin.Options) Limits {
	l := Limits{MaxBytes: opts.MaxFileBytes, MaxDepth: opts.MaxDepth, MaxNodes: opts.MaxNodes}
	if l.MaxBytes <= 0 {
		l.MaxBytes = pin.DefaultMaxFileBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = pin.DefaultMaxDepth
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = pin.DefaultMaxNodes
	}
	return l
}

// builder holds what every parser needs: the source, its line index, the
// limits and the count of nodes made so far.
type builder struct {
	file   string
	src    []byte
	lines  lineIndex
	limits Limits
	nodes  int
}

// newBuilder checks src's size and encoding before any parser sees it.
func newBuilder(file string, src []byte, lim Limits) (*builder, error) {
	if len(src) > lim.MaxBytes {
		// A caller that read at most limit+1 bytes knows the file is too
		// large, not its size.
		size := len(src)
		if size == lim.MaxBytes+1 {
			size = -1
		}
		return nil, &pin.TooLargeError{File: file, Size: size, Limit: lim.MaxBytes}
	}
	b := &builder{file: file, src: src, lines: newLineIndex(src), limits: lim}
	if !utf8.Valid(src) {
		at := 0
		for at < len(src) {
			r, n := utf8.DecodeRune(src[at:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			at += n
		}
		return nil, b.syntaxError(at, "invalid UTF-8")
	}
	return b, nil
}

// node counts one more node made at offset at, in a container depth
// deep, against the limits.
func (b *builder) node(at, depth int) error {
	b.nodes++
	if b.nodes > b.limits.MaxNodes {
		return b.budgetError(at, fmt.Sprintf("document has more than %d nodes", b.limits.MaxNodes))
	}
	if depth > b.limits.MaxDepth {
		return b.budgetError(at, fmt.Sprintf("document nests deeper than %d levels", b.limits.MaxDepth))
	}
	return nil
}

// expand counts a node reached again (a YAML alias) at its expanded size.
func (b *builder) expand(at, size int) error {
	if size > b.limits.MaxNodes {
		return b.budgetError(at, fmt.Sprintf("aliases expand the document to more than %d nodes", b.limits.MaxNodes))
	}
	return nil
}

func (b *builder) span(start, end int) pin.Span { return b.lines.span(start, end) }

func (b *builder) syntaxError(at int, msg string) *pin.SyntaxError {
	s := b.span(at, at)
	return &pin.SyntaxError{File: b.file, Line: s.Line, Column: s.Column, Msg: msg}
}

func (b *builder) budgetError(at int, msg string) *pin.BudgetError {
	s := b.span(at, at)
	return &pin.BudgetError{File: b.file, Line: s.Line, Column: s.Column, Msg: msg}
}

// scalar makes a scalar node whose literal is src[start:end]; q is the
// length of its delimiters on each side (0 for a plain scalar).
func (b *builder) scalar(start, end, q int, value string, isString bool) *Node {
	n := &Node{Kind: Scalar, Value: value, String: isString, Span: b.span(start, end), Size: 1}
	n.Literal = end-start >= 2*q && string(b.src[start+q:end-q]) == value
	return n
}

// duplicate reports the second use of a key in one mapping: which value
// a consumer reads is up to its parser, so no pin there can be trusted.
func (b *builder) duplicate(m *Node, key string, at int) error {
	if i, ok := m.find(key); ok {
		return b.syntaxError(at, fmt.Sprintf("duplicate key %q (first at line %d)", key, m.Entries[i].KeySpan.Line))
	}
	return nil
}
