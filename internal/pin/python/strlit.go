package python

import (
	"strings"

	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// evalString evaluates one string literal: plain, raw, byte or f-string.
func (in *interp) evalString(f *frame, n *syntax.Node) (value, error) {
	if len(n.Kids) < 2 {
		return &strV{s: "", span: spanOf(n), lit: true}, nil
	}
	prefix := strings.ToLower(strings.TrimRight(n.Kids[0].Text(in.src), `'"`))
	raw := strings.Contains(prefix, "r")
	fstr := strings.Contains(prefix, "f")
	if strings.Contains(prefix, "b") {
		return &opaqueV{reason: "bytes literals are not strings", line: n.Line, col: n.Col}, nil
	}
	var b strings.Builder
	exact := true // the value equals the literal's source text
	for _, k := range n.Kids[1 : len(n.Kids)-1] {
		switch k.Kind {
		case syntax.StringContent:
			if !in.decodeContent(&b, k, raw, fstr) {
				return in.opaque(k, "the string holds an escape the evaluator does not decode"), nil
			}
			if len(k.Kids) > 0 {
				exact = false
			}
		case syntax.EscapeSequence, syntax.EscapeInterpolation:
			exact = false
			if !in.decodeToken(&b, k, raw, fstr) {
				return in.opaque(k, "the string holds an escape the evaluator does not decode"), nil
			}
		case syntax.Interpolation:
			exact = false
			s, err := in.evalInterpolation(f, k)
			if err != nil {
				return nil, err
			}
			if o, ok := s.(*opaqueV); ok {
				return o, nil
			}
			b.WriteString(s.(*strV).s)
		}
		if err := in.checkSize(k, int64(b.Len())); err != nil {
			return nil, err
		}
	}
	return &strV{s: b.String(), span: spanOf(n), lit: exact}, in.chargeStr(n, int64(b.Len()))
}

// decodeContent appends a string_content node's text, decoding its escape
// children unless the literal is raw.
func (in *interp) decodeContent(b *strings.Builder, k *syntax.Node, raw, fstr bool) bool {
	pos := k.Start
	for _, esc := range k.Kids {
		b.Write(in.src[pos:esc.Start])
		if !in.decodeToken(b, esc, raw, fstr) {
			return false
		}
		pos = esc.End
	}
	b.Write(in.src[pos:k.End])
	return true
}

func (in *interp) decodeToken(b *strings.Builder, esc *syntax.Node, raw, fstr bool) bool {
	tok := esc.Text(in.src)
	switch {
	case esc.Kind == syntax.EscapeInterpolation:
		// {{ and }} stand for one brace in an f-string; tree-sitter marks
		// them in every string, where they are literal text.
		if fstr {
			b.WriteString(tok[:1])
		} else {
			b.WriteString(tok)
		}
	case raw:
		b.WriteString(tok)
	default:
		s, ok := decodeEscape(tok)
		if !ok {
			return false
		}
		b.WriteString(s)
	}
	return true
}

// evalInterpolation evaluates {expr!conv:spec} to a string.
func (in *interp) evalInterpolation(f *frame, k *syntax.Node) (value, error) {
	expr := k.Field(syntax.FieldExpression)
	if expr == nil {
		return &strV{}, nil
	}
	v, err := in.evalTupleish(f, expr)
	if err != nil {
		return nil, err
	}
	if conv := k.Field(syntax.FieldTypeConversion); conv != nil {
		if o := firstOpaque(v); o != nil {
			return o, nil
		}
		var s string
		switch strings.TrimPrefix(conv.Text(in.src), "!") {
		case "r", "a":
			s, err = in.repr(k, v)
		default:
			s, err = in.str(k, v)
		}
		if err != nil {
			return nil, at(err, k)
		}
		v = &strV{s: s}
	}
	spec := ""
	if fs := k.Field(syntax.FieldFormatSpecifier); fs != nil {
		var sb strings.Builder
		pos := fs.Start + 1 // past the colon
		for _, sub := range fs.Kids {
			if sub.Kind != syntax.Interpolation && sub.Kind != syntax.FormatExpression {
				continue
			}
			sb.Write(in.src[pos:sub.Start])
			var s value
			var err error
			if sub.Kind == syntax.FormatExpression && sub.Field(syntax.FieldExpression) == nil && len(sub.Kids) > 0 {
				// {width} nested in a format spec.
				if s, err = in.eval(f, sub.Kids[0]); err == nil && firstOpaque(s) == nil {
					var t string
					t, err = in.str(sub, s)
					s = &strV{s: t}
				}
			} else {
				s, err = in.evalInterpolation(f, sub)
			}
			if err != nil {
				return nil, err
			}
			if o, ok := s.(*opaqueV); ok {
				return o, nil
			}
			sb.WriteString(s.(*strV).s)
			pos = sub.End
		}
		if pos < fs.End {
			sb.Write(in.src[pos:fs.End])
		}
		spec = sb.String()
	}
	if o := firstOpaque(v); o != nil {
		return o, nil
	}
	s, err := in.formatValue(k, v, spec)
	if err != nil {
		return nil, at(err, k)
	}
	return &strV{s: s}, nil
}

// evalConcatenated joins implicitly concatenated literals ("a" "b"), which
// may span lines inside parentheses.
func (in *interp) evalConcatenated(f *frame, n *syntax.Node) (value, error) {
	var b strings.Builder
	for _, k := range n.Kids {
		if k.Kind != syntax.String {
			continue
		}
		v, err := in.evalString(f, k)
		if err != nil {
			return nil, err
		}
		s, ok := v.(*strV)
		if !ok {
			return v, nil
		}
		if err := in.checkSize(n, int64(b.Len()+len(s.s))); err != nil {
			return nil, err
		}
		b.WriteString(s.s)
	}
	return &strV{s: b.String(), span: spanOf(n)}, in.chargeStr(n, int64(b.Len()))
}
