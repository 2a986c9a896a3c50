package python

import (
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

func (in *interp) execAssign(f *frame, e *syntax.Node) error {
	right := e.Field(syntax.FieldRight)
	if right == nil {
		// An annotation without a value declares nothing at run time.
		return nil
	}
	var v value
	var err error
	if right.Kind == syntax.Assignment {
		// a = b = value: the inner assignment runs first and its value is
		// assigned to the outer targets too.
		if err := in.execAssign(f, right); err != nil {
			return err
		}
		v, err = in.eval(f, innermostValue(right))
	} else {
		v, err = in.evalTupleish(f, right)
	}
	if err != nil {
		return err
	}
	return in.assignTarget(f, e.Field(syntax.FieldLeft), v, spanOf(innermostValue(e)))
}

func innermostValue(e *syntax.Node) *syntax.Node {
	for e.Kind == syntax.Assignment && e.Field(syntax.FieldRight) != nil {
		e = e.Field(syntax.FieldRight)
	}
	return e
}

// evalTupleish evaluates a right-hand side that may be a bare tuple
// (expression_list: return a, b).
func (in *interp) evalTupleish(f *frame, e *syntax.Node) (value, error) {
	if e.Kind == syntax.ExpressionList {
		items, err := in.evalElements(f, e.Kids)
		if err != nil {
			return nil, err
		}
		return &tupleV{items: items}, nil
	}
	return in.eval(f, e)
}

func (in *interp) assignTarget(f *frame, t *syntax.Node, v value, sp pin.Span) error {
	switch t.Kind {
	case syntax.Identifier:
		in.assignName(f, t.Text(in.src), v)
		return nil
	case syntax.PatternList, syntax.TuplePattern, syntax.ListPattern, syntax.Tuple, syntax.List, syntax.ExpressionList:
		return in.unpack(f, t, v)
	case syntax.ParenthesizedExpression:
		return in.assignTarget(f, t.Kids[0], v, sp)
	case syntax.Subscript:
		obj, err := in.eval(f, t.Field(syntax.FieldValue))
		if err != nil {
			return err
		}
		key, err := in.evalSubscriptKey(f, t)
		if err != nil {
			return err
		}
		return at(in.setItem(t, obj, key, v, sp), t)
	case syntax.Attribute:
		obj, err := in.eval(f, t.Field(syntax.FieldObject))
		if err != nil {
			return err
		}
		name := t.Field(syntax.FieldAttribute).Text(in.src)
		switch o := obj.(type) {
		case *instanceV:
			return o.attrs.set(&strV{s: name}, v, sp)
		case *classV:
			o.attrs[name] = v
			return nil
		case *opaqueV:
			return nil
		}
		return at(pyErrf("AttributeError", "cannot set attribute '%s' on %s", name, typeName(obj)), t)
	}
	return at(pyErrf("SyntaxError", "cannot assign to %s", t.Kind), t)
}

func (in *interp) unpack(f *frame, t *syntax.Node, v value) error {
	targets := t.NamedKids()
	if o, ok := v.(*opaqueV); ok {
		for _, tg := range targets {
			if tg.Kind == syntax.ListSplatPattern {
				tg = tg.Kids[0]
			}
			if err := in.assignTarget(f, tg, o, pin.Span{}); err != nil {
				return err
			}
		}
		return nil
	}
	items, err := in.iterate(t, v)
	if err != nil {
		return err
	}
	star := -1
	for i, tg := range targets {
		if tg.Kind == syntax.ListSplatPattern || tg.Kind == syntax.ListSplat {
			star = i
		}
	}
	if star < 0 {
		if len(items) != len(targets) {
			return at(pyErrf("ValueError", "cannot unpack %d values into %d targets", len(items), len(targets)), t)
		}
		for i, tg := range targets {
			if err := in.assignTarget(f, tg, items[i], pin.Span{}); err != nil {
				return err
			}
		}
		return nil
	}
	after := len(targets) - star - 1
	if len(items) < star+after {
		return at(pyErrf("ValueError", "not enough values to unpack (expected at least %d, got %d)", star+after, len(items)), t)
	}
	for i := 0; i < star; i++ {
		if err := in.assignTarget(f, targets[i], items[i], pin.Span{}); err != nil {
			return err
		}
	}
	rest := append([]value(nil), items[star:len(items)-after]...)
	if err := in.assignTarget(f, targets[star].Kids[0], &listV{items: rest}, pin.Span{}); err != nil {
		return err
	}
	for i := 0; i < after; i++ {
		if err := in.assignTarget(f, targets[star+1+i], items[len(items)-after+i], pin.Span{}); err != nil {
			return err
		}
	}
	return nil
}

func (in *interp) execAugAssign(f *frame, e *syntax.Node) error {
	left, right := e.Field(syntax.FieldLeft), e.Field(syntax.FieldRight)
	op := e.Field(syntax.FieldOperator).Text(in.src)
	op = op[:len(op)-1] // "+=" -> "+"
	cur, err := in.eval(f, left)
	if err != nil {
		return err
	}
	rhs, err := in.eval(f, right)
	if err != nil {
		return err
	}
	// Lists and dicts are updated in place, as CPython's __iadd__/__ior__ do.
	switch c := cur.(type) {
	case *listV:
		if op == "+" {
			items, err := in.iterate(right, rhs)
			if err != nil {
				return err
			}
			if err := in.checkSize(e, int64(len(c.items)+len(items))); err != nil {
				return err
			}
			if err := in.chargeSeq(e, int64(len(items))); err != nil {
				return err
			}
			c.items = append(c.items, items...)
			return nil
		}
	case *dictV:
		if op == "|" {
			if d, ok := rhs.(*dictV); ok {
				if err := in.chargeDict(e, int64(len(d.keys))); err != nil {
					return err
				}
				for i, k := range d.keys {
					if err := c.set(k, d.vals[i], d.spans[i]); err != nil {
						return at(err, e)
					}
				}
				return nil
			}
		}
	}
	v, err := in.binary(e, op, cur, rhs)
	if err != nil {
		return err
	}
	return in.assignTarget(f, left, v, spanOf(e))
}

func (in *interp) execDelete(f *frame, st *syntax.Node) error {
	for _, t := range st.NamedKids() {
		targets := []*syntax.Node{t}
		if t.Kind == syntax.ExpressionList {
			targets = t.NamedKids()
		}
		for _, tg := range targets {
			switch tg.Kind {
			case syntax.Identifier:
				delete(f.sc.vars, tg.Text(in.src))
			case syntax.Subscript:
				obj, err := in.eval(f, tg.Field(syntax.FieldValue))
				if err != nil {
					return err
				}
				key, err := in.evalSubscriptKey(f, tg)
				if err != nil {
					return err
				}
				switch o := obj.(type) {
				case *dictV:
					if _, ok, err := o.del(key); err != nil || !ok {
						if err == nil {
							err = pyErrf("KeyError", "%s", pyRepr(key))
						}
						return at(err, tg)
					}
				case *listV:
					i, err := index(tg, key, len(o.items))
					if err != nil {
						return err
					}
					if err := in.work(tg, int64(len(o.items)-i)); err != nil {
						return err
					}
					o.items = append(o.items[:i:i], o.items[i+1:]...)
				case *opaqueV:
				default:
					return at(pyErrf("TypeError", "'%s' object does not support item deletion", typeName(obj)), tg)
				}
			}
		}
	}
	return nil
}
