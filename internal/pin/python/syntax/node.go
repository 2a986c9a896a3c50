package syntax

import "strings"

// Node is a syntax node copied out of tree-sitter. The evaluator walks these
// plain Go values instead of the cgo-backed tree so that re-evaluating a
// function body costs no foreign calls.
type Node struct {
	Kind    Kind
	Start   int // byte offset of the first byte
	End     int // byte offset after the last byte
	Line    int // 1-based
	Col     int // 1-based, in bytes
	EndLine int // 1-based line of the last byte
	Kids    []*Node
	Fields  []Field // field of each kid, NoField if none
	// Named is false for anonymous tokens (operators, slice colons), which
	// are kept only where their position carries meaning.
	Named bool
	// Token is the source text of a leaf (identifier, number, operator).
	Token string
}

// Field returns the first child in field f, or nil.
func (n *Node) Field(f Field) *Node {
	for i, k := range n.Fields {
		if k == f {
			return n.Kids[i]
		}
	}
	return nil
}

// FieldAll returns every child in field f.
func (n *Node) FieldAll(f Field) []*Node {
	var out []*Node
	for i, k := range n.Fields {
		if k == f {
			out = append(out, n.Kids[i])
		}
	}
	return out
}

// NamedKids returns the named children in order.
func (n *Node) NamedKids() []*Node {
	out := make([]*Node, 0, len(n.Kids))
	for _, k := range n.Kids {
		if k.Named {
			out = append(out, k)
		}
	}
	return out
}

// Text returns the source text of n; src must be what n was parsed from.
func (n *Node) Text(src []byte) string {
	if n.Token != "" {
		return n.Token
	}
	return string(src[n.Start:n.End])
}

// Leaves returns the tokens under n in source order, or n itself if it
// has no children. It walks with an explicit stack: the tree may nest as
// deep as MaxNesting.
func (n *Node) Leaves() []*Node {
	var out []*Node
	stack := []*Node{n}
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if len(k.Kids) == 0 {
			out = append(out, k)
		}
		for i := len(k.Kids) - 1; i >= 0; i-- {
			stack = append(stack, k.Kids[i])
		}
	}
	return out
}

// DottedName returns a dotted name ("os.path") without the white space
// or comments the source may hold between its parts, and the text of any
// other node (a relative import's "..pkg") as it stands.
func (n *Node) DottedName(src []byte) string {
	if n.Kind != DottedName {
		return n.Text(src)
	}
	parts := make([]string, 0, len(n.Kids))
	for _, k := range n.Kids {
		parts = append(parts, k.Token)
	}
	return strings.Join(parts, ".")
}

// ExceptNames returns the identifiers that name the exception types an
// except clause catches: KeyError in "except KeyError as e", every name
// in "except (KeyError, errors.Missing)". bare reports an except clause
// with no types, which catches everything.
func (n *Node) ExceptNames() (names []*Node, bare bool) {
	var types *Node
	for _, k := range n.Kids {
		if k.Kind != Block {
			types = k
			break
		}
	}
	if types == nil {
		return nil, true
	}
	if types.Kind == AsPattern {
		types = types.Kids[0]
	}
	for _, k := range types.Leaves() {
		if k.Kind == Identifier {
			names = append(names, k)
		}
	}
	return names, false
}
