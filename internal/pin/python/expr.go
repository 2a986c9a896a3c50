package python

import (
	"math"
	"strconv"
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

func (in *interp) eval(f *frame, n *syntax.Node) (value, error) {
	if err := in.step(n); err != nil {
		return nil, err
	}
	switch n.Kind {
	case syntax.Identifier:
		return in.lookup(f, n, n.Token)
	case syntax.String:
		return in.evalString(f, n)
	case syntax.ConcatenatedString:
		return in.evalConcatenated(f, n)
	case syntax.Integer:
		return parseInt(n)
	case syntax.Float:
		return parseFloat(n)
	case syntax.True:
		return true, nil
	case syntax.False:
		return false, nil
	case syntax.None:
		return none, nil
	case syntax.Ellipsis:
		return &opaqueV{reason: "Ellipsis", line: n.Line, col: n.Col, harmless: true}, nil
	case syntax.ParenthesizedExpression:
		return in.evalTupleish(f, n.Kids[0])
	case syntax.ExpressionList:
		return in.evalTupleish(f, n)
	case syntax.BinaryOperator:
		l, err := in.eval(f, n.Field(syntax.FieldLeft))
		if err != nil {
			return nil, err
		}
		r, err := in.eval(f, n.Field(syntax.FieldRight))
		if err != nil {
			return nil, err
		}
		return in.binary(n, n.Field(syntax.FieldOperator).Text(in.src), l, r)
	case syntax.UnaryOperator:
		return in.evalUnary(f, n)
	case syntax.NotOperator:
		v, err := in.eval(f, n.Field(syntax.FieldArgument))
		if err != nil {
			return nil, err
		}
		b, ok := truth(v)
		if !ok {
			return v, nil
		}
		return !b, nil
	case syntax.BooleanOperator:
		return in.evalBoolOp(f, n)
	case syntax.ComparisonOperator:
		return in.evalComparison(f, n)
	case syntax.ConditionalExpression:
		kids := n.NamedKids()
		cond, err := in.eval(f, kids[1])
		if err != nil {
			return nil, err
		}
		b, ok := truth(cond)
		if !ok {
			return opaqueBecause(n, cond, "the conditional expression"), nil
		}
		if b {
			in.br.take(kids[0])
			in.br.skip(kids[2])
			return in.eval(f, kids[0])
		}
		in.br.take(kids[2])
		in.br.skip(kids[0])
		return in.eval(f, kids[2])
	case syntax.NamedExpression:
		v, err := in.eval(f, n.Field(syntax.FieldValue))
		if err != nil {
			return nil, err
		}
		in.assignName(f, n.Field(syntax.FieldName).Token, v)
		return v, nil
	case syntax.List:
		items, err := in.evalElements(f, n.Kids)
		if err != nil {
			return nil, err
		}
		return &listV{items: items}, nil
	case syntax.Tuple:
		items, err := in.evalElements(f, n.Kids)
		if err != nil {
			return nil, err
		}
		return &tupleV{items: items}, nil
	case syntax.Set:
		items, err := in.evalElements(f, n.Kids)
		if err != nil {
			return nil, err
		}
		if err := in.chargeDict(n, int64(len(items))); err != nil {
			return nil, err
		}
		s := &setV{d: newDict()}
		for _, it := range items {
			if err := s.d.set(it, none, pin.Span{}); err != nil {
				return nil, at(err, n)
			}
		}
		return s, nil
	case syntax.Dictionary:
		return in.evalDict(f, n)
	case syntax.ListComprehension, syntax.SetComprehension, syntax.GeneratorExpression, syntax.DictionaryComprehension:
		return in.evalComprehension(f, n)
	case syntax.Call:
		return in.evalCall(f, n)
	case syntax.Attribute:
		obj, err := in.eval(f, n.Field(syntax.FieldObject))
		if err != nil {
			return nil, err
		}
		return in.getAttr(n, obj, n.Field(syntax.FieldAttribute).Token)
	case syntax.Subscript:
		obj, err := in.eval(f, n.Field(syntax.FieldValue))
		if err != nil {
			return nil, err
		}
		key, err := in.evalSubscriptKey(f, n)
		if err != nil {
			return nil, err
		}
		return in.getItem(n, obj, key)
	case syntax.Lambda:
		return in.makeLambda(f, n)
	case syntax.Await, syntax.Yield:
		return in.opaque(n, "%s is not evaluated", n.Kind), nil
	}
	return in.opaque(n, "%s expressions are not evaluated", strings.ReplaceAll(n.Kind.String(), "_", " ")), nil
}

// evalElements evaluates list/tuple/set elements, expanding *iterables.
func (in *interp) evalElements(f *frame, kids []*syntax.Node) ([]value, error) {
	items := make([]value, 0, len(kids))
	for _, k := range kids {
		if !k.Named {
			continue
		}
		if k.Kind == syntax.ListSplat {
			v, err := in.eval(f, k.Kids[0])
			if err != nil {
				return nil, err
			}
			if o, ok := v.(*opaqueV); ok {
				// The elements are unknown; keep one unknown in their place
				// so that walking the container reports it.
				items = append(items, o)
				continue
			}
			more, err := in.iterate(k, v)
			if err != nil {
				return nil, err
			}
			items = append(items, more...)
			continue
		}
		v, err := in.eval(f, k)
		if err != nil {
			return nil, err
		}
		items = append(items, v)
	}
	return items, in.charge(nodeOf(kids), int64(len(items)))
}

func nodeOf(kids []*syntax.Node) *syntax.Node {
	if len(kids) == 0 {
		return &syntax.Node{}
	}
	return kids[0]
}

func (in *interp) evalDict(f *frame, n *syntax.Node) (value, error) {
	d := newDict()
	for _, k := range n.Kids {
		switch k.Kind {
		case syntax.Pair:
			key, err := in.eval(f, k.Field(syntax.FieldKey))
			if err != nil {
				return nil, err
			}
			vn := k.Field(syntax.FieldValue)
			v, err := in.eval(f, vn)
			if err != nil {
				return nil, err
			}
			if err := d.set(key, v, spanOf(vn)); err != nil {
				return nil, at(err, k)
			}
		case syntax.DictionarySplat:
			v, err := in.eval(f, k.Kids[0])
			if err != nil {
				return nil, err
			}
			if err := in.mergeInto(k, d, v); err != nil {
				return nil, err
			}
		}
	}
	return d, in.chargeDict(n, int64(len(d.keys)))
}

// mergeInto adds the entries of mapping v to d, as {**v} and dict.update do.
func (in *interp) mergeInto(n *syntax.Node, d *dictV, v value) error {
	switch src := v.(type) {
	case *dictV:
		if err := in.chargeDict(n, int64(len(src.keys))); err != nil {
			return err
		}
		for i, k := range src.keys {
			if err := d.set(k, src.vals[i], src.spans[i]); err != nil {
				return at(err, n)
			}
		}
		return nil
	case *instanceV:
		if src.class.record {
			return in.mergeInto(n, d, src.attrs)
		}
	case *opaqueV:
		// The unknown entries are kept as one unknown entry, so walking the
		// dict reports that pins may be missing.
		return d.set(src, src, pin.Span{Start: n.Start, End: n.End, Line: n.Line, Column: n.Col})
	}
	return at(pyErrf("TypeError", "'%s' object is not a mapping", typeName(v)), n)
}

func (in *interp) evalUnary(f *frame, n *syntax.Node) (value, error) {
	v, err := in.eval(f, n.Field(syntax.FieldArgument))
	if err != nil {
		return nil, err
	}
	op := n.Field(syntax.FieldOperator).Text(in.src)
	switch x := v.(type) {
	case *opaqueV:
		return x, nil
	case bool, int64:
		i, _ := asInt(x)
		switch op {
		case "-":
			if i == math.MinInt64 {
				return in.opaque(n, "integer overflow"), nil
			}
			return -i, nil
		case "+":
			return i, nil
		case "~":
			return ^i, nil
		}
	case float64:
		switch op {
		case "-":
			return -x, nil
		case "+":
			return x, nil
		}
	}
	return nil, at(pyErrf("TypeError", "bad operand type for unary %s: '%s'", op, typeName(v)), n)
}

func (in *interp) evalBoolOp(f *frame, n *syntax.Node) (value, error) {
	l, err := in.eval(f, n.Field(syntax.FieldLeft))
	if err != nil {
		return nil, err
	}
	b, ok := truth(l)
	if !ok {
		return l, nil
	}
	op := n.Field(syntax.FieldOperator).Text(in.src)
	right := n.Field(syntax.FieldRight)
	if (op == "and" && !b) || (op == "or" && b) {
		in.br.skip(right)
		return l, nil
	}
	in.br.take(right)
	return in.eval(f, right)
}

func (in *interp) evalComparison(f *frame, n *syntax.Node) (value, error) {
	var operands []*syntax.Node
	var ops []string
	for i, k := range n.Kids {
		if n.Fields[i] == syntax.FieldOperators {
			ops = append(ops, strings.Join(strings.Fields(k.Text(in.src)), " "))
		} else if k.Named {
			operands = append(operands, k)
		}
	}
	left, err := in.eval(f, operands[0])
	if err != nil {
		return nil, err
	}
	for i, op := range ops {
		if i+1 >= len(operands) {
			break
		}
		right, err := in.eval(f, operands[i+1])
		if err != nil {
			return nil, err
		}
		r, err := in.compare(n, op, left, right)
		if err != nil {
			return nil, err
		}
		if b, ok := r.(bool); !ok || !b {
			return r, nil
		}
		left = right
	}
	return true, nil
}

func parseInt(n *syntax.Node) (value, error) {
	t := strings.ReplaceAll(n.Token, "_", "")
	if strings.HasSuffix(t, "j") || strings.HasSuffix(t, "J") {
		return &opaqueV{reason: "complex numbers are not evaluated", line: n.Line, col: n.Col}, nil
	}
	t = strings.TrimRight(t, "lL")
	base := 10
	if len(t) > 2 && t[0] == '0' {
		switch t[1] {
		case 'x', 'X':
			base, t = 16, t[2:]
		case 'o', 'O':
			base, t = 8, t[2:]
		case 'b', 'B':
			base, t = 2, t[2:]
		}
	}
	i, err := strconv.ParseInt(t, base, 64)
	if err != nil {
		return &opaqueV{reason: "integer " + truncate(n.Token, 40) + " is out of range", line: n.Line, col: n.Col}, nil
	}
	return i, nil
}

func parseFloat(n *syntax.Node) (value, error) {
	t := strings.ReplaceAll(n.Token, "_", "")
	if strings.HasSuffix(t, "j") || strings.HasSuffix(t, "J") {
		return &opaqueV{reason: "complex numbers are not evaluated", line: n.Line, col: n.Col}, nil
	}
	x, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return &opaqueV{reason: "float " + truncate(n.Token, 40) + " is not understood", line: n.Line, col: n.Col}, nil
	}
	return x, nil
}

// evalSubscriptKey evaluates what is inside the brackets: one key, a slice,
// or several (a tuple).
func (in *interp) evalSubscriptKey(f *frame, n *syntax.Node) (value, error) {
	subs := n.FieldAll(syntax.FieldSubscript)
	keys := make([]value, 0, len(subs))
	for _, s := range subs {
		var v value
		var err error
		if s.Kind == syntax.Slice {
			v, err = in.evalSlice(f, s)
		} else {
			v, err = in.eval(f, s)
		}
		if err != nil {
			return nil, err
		}
		keys = append(keys, v)
	}
	if len(keys) == 1 {
		return keys[0], nil
	}
	return &tupleV{items: keys}, nil
}

// sliceV is a[start:stop:step] before it is applied.
type sliceV struct{ start, stop, step value }

func (in *interp) evalSlice(f *frame, s *syntax.Node) (value, error) {
	parts := [3]value{none, none, none}
	i := 0
	for _, k := range s.Kids {
		if !k.Named {
			if k.Token == ":" {
				i++
			}
			continue
		}
		if i > 2 {
			break
		}
		v, err := in.eval(f, k)
		if err != nil {
			return nil, err
		}
		parts[i] = v
	}
	return &sliceV{start: parts[0], stop: parts[1], step: parts[2]}, nil
}
