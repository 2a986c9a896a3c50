package python

import (
	"errors"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// parseModule parses src, reporting invalid Python as a pin.SyntaxError
// in file.
func parseModule(file string, src []byte) (*syntax.Node, error) {
	mod, err := syntax.Parse(src)
	var se *syntax.Error
	if errors.As(err, &se) {
		return nil, &pin.SyntaxError{File: file, Line: se.Line, Column: se.Col, Msg: se.Msg}
	}
	return mod, err
}

// spanOf is where n stands in the source.
func spanOf(n *syntax.Node) pin.Span {
	return pin.Span{Start: n.Start, End: n.End, Line: n.Line, Column: n.Col}
}
