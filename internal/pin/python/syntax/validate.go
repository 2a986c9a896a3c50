package syntax

// tree-sitter's Python grammar accepts some text CPython refuses, without
// an ERROR or MISSING node, so the converted tree is checked once more:
//
//   - Its scanner only ends a statement at a newline when a newline could
//     end it, so "x =\n1" parses as x = 1 and a YAML file ("a:\n  b: 1")
//     as an annotated assignment. In Python a statement continues on the
//     next line only inside brackets, a string, or after a backslash.
//   - It accepts a constrained type ("T: int") in any annotation, where
//     Python allows one only in a type parameter list.

// validate reports the first construct of mod that CPython would refuse.
// It walks with an explicit stack: the tree may be as deep as MaxNesting.
func (c *converter) validate(mod *Node) error {
	type item struct {
		n          *Node
		typeParams bool // inside a type parameter list
	}
	stack := []item{{n: mod}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := it.n
		if n.Kind == ConstrainedType && !it.typeParams {
			return &Error{Line: n.Line, Col: n.Col,
				Msg: "invalid syntax (a 'name: type' annotation cannot be annotated again)"}
		}
		if n.EndLine > n.Line {
			if err := c.checkLineBreaks(n); err != nil {
				return err
			}
		}
		inTP := it.typeParams || n.Kind == TypeParameter
		for i := len(n.Kids) - 1; i >= 0; i-- {
			stack = append(stack, item{n: n.Kids[i], typeParams: inTP})
		}
	}
	return nil
}

// checkLineBreaks refuses a line break that ends n's statement too early:
// inside a simple statement, or in a compound statement's header before
// its colon.
func (c *converter) checkLineBreaks(n *Node) error {
	end, header := -1, false
	if n.Kind.IsSimpleStatement() {
		end = n.End
	} else {
		for _, k := range n.Kids {
			if k.Kind == Block {
				end, header = k.Start, true
				break
			}
		}
	}
	if end < 0 {
		return nil
	}
	if i := bareLineBreak(c.src, n.Start, end, header); i >= 0 {
		line, col := c.position(i)
		return &Error{Line: line, Col: col,
			Msg: "invalid syntax: the statement is incomplete at the end of this line (it continues on the next line only inside brackets or after a backslash)"}
	}
	return nil
}

// bareLineBreak returns the offset of the first line break in src[start:end]
// outside brackets, strings and backslash continuations, or -1. In a
// header, a line break after the colon ends the scan.
func bareLineBreak(src []byte, start, end int, header bool) int {
	depth := 0
	var last byte // last significant byte outside brackets
	for i := start; i < end && i < len(src); i++ {
		ch := src[i]
		switch ch {
		case '#':
			for i+1 < end && src[i+1] != '\n' && src[i+1] != '\r' {
				i++
			}
			continue
		case '\\':
			i++ // an escaped line break (or any byte) continues the line
			if i+1 < end && src[i] == '\r' && src[i+1] == '\n' {
				i++
			}
			continue
		case '\'', '"':
			i = skipString(src, i, end)
			last = ch
			continue
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		case '\r', '\n':
			if ch == '\r' && i+1 < end && src[i+1] == '\n' {
				continue // CRLF: the \n decides
			}
			if depth > 0 {
				continue
			}
			if header && last == ':' {
				return -1
			}
			return i
		case ' ', '\t', '\f':
			continue
		}
		if depth == 0 {
			last = ch
		}
	}
	return -1
}

// skipString returns the offset of the closing quote of the string
// starting at src[i] (or end-1 if it is not closed before end).
func skipString(src []byte, i, end int) int {
	q := src[i]
	triple := i+2 < end && src[i+1] == q && src[i+2] == q
	if triple {
		i += 2
	}
	for i++; i < end; i++ {
		switch src[i] {
		case '\\':
			i++
		case q:
			if !triple {
				return i
			}
			if i+2 < end && src[i+1] == q && src[i+2] == q {
				return i + 2
			}
		case '\n':
			if !triple {
				return i - 1 // unterminated; the parser has reported it
			}
		}
	}
	return end - 1
}
