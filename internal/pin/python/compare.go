package python

import (
	"strings"

	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

func (in *interp) compare(n *syntax.Node, op string, a, b value) (value, error) {
	switch op {
	case "is", "is not":
		if o := firstOpaque(a, b); o != nil {
			return o, nil
		}
		same := identical(a, b)
		return same == (op == "is"), nil
	case "in", "not in":
		if o := firstOpaque(b); o != nil {
			return o, nil
		}
		found, err := in.contains(n, b, a)
		if err != nil {
			return nil, err
		}
		if o, ok := found.(*opaqueV); ok {
			return o, nil
		}
		return found.(bool) == (op == "in"), nil
	}
	if o := firstOpaque(a, b); o != nil {
		return o, nil
	}
	switch op {
	case "==", "!=":
		e, _, err := in.eq(n, a, b)
		if err != nil {
			return nil, at(err, n)
		}
		return e == (op == "=="), nil
	}
	c, err := in.order(n, a, b)
	if err != nil {
		return nil, at(err, n)
	}
	switch op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	case ">=":
		return c >= 0, nil
	}
	return nil, at(pyErrf("SyntaxError", "unknown comparison %q", op), n)
}

// identical is Python's "is" for the values where it is predictable.
func identical(a, b value) bool {
	switch x := a.(type) {
	case noneType, bool:
		return a == b
	case int64:
		y, ok := b.(int64)
		return ok && x == y && x >= -5 && x <= 256
	case *strV:
		y, ok := b.(*strV)
		return ok && (x == y || x.s == y.s)
	}
	return a == b
}

// contains is Python's "needle in haystack".
func (in *interp) contains(n *syntax.Node, hay, needle value) (value, error) {
	switch h := hay.(type) {
	case *strV:
		s, ok := needle.(*strV)
		if !ok {
			if o := firstOpaque(needle); o != nil {
				return o, nil
			}
			return nil, at(pyErrf("TypeError", "'in <string>' requires string as left operand, not %s", typeName(needle)), n)
		}
		if err := in.work(n, int64(len(h.s)+len(s.s))); err != nil {
			return nil, err
		}
		return strings.Contains(h.s, s.s), nil
	case *dictV:
		return in.dictHas(n, h, needle)
	case *setV:
		return in.dictHas(n, h.d, needle)
	case *instanceV:
		if h.class.record {
			return in.dictHas(n, h.attrs, needle)
		}
	case *moduleV:
		if env, ok := h.attrs["__mapping__"].(*dictV); ok {
			return in.dictHas(n, env, needle)
		}
	}
	items, err := in.iterate(n, hay)
	if err != nil {
		return nil, err
	}
	var unknown *opaqueV
	for _, it := range items {
		e, ok, err := in.eqElem(n, needle, it)
		if err != nil {
			return nil, at(err, n)
		}
		if !ok {
			unknown = firstOpaque(it, needle)
			continue
		}
		if e {
			return true, nil
		}
	}
	if unknown != nil {
		return unknown, nil
	}
	return false, nil
}

func (in *interp) dictHas(n *syntax.Node, d *dictV, k value) (value, error) {
	if o := firstOpaque(k); o != nil {
		return o, nil
	}
	if err := in.work(n, keyUnits(k)); err != nil {
		return nil, err
	}
	_, found, err := d.get(k)
	if err != nil {
		return nil, at(err, n)
	}
	return found, nil
}
