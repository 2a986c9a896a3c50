package python

import (
	"math"
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// binary applies a binary operator.
func (in *interp) binary(n *syntax.Node, op string, a, b value) (value, error) {
	if o := firstOpaque(a, b); o != nil {
		return o, nil
	}
	switch x := a.(type) {
	case *strV:
		switch op {
		case "+":
			y, ok := b.(*strV)
			if !ok {
				break
			}
			if err := in.chargeStr(n, int64(len(x.s)+len(y.s))); err != nil {
				return nil, err
			}
			return &strV{s: x.s + y.s, span: spanOf(n)}, nil
		case "%":
			s, err := in.percentFormat(n, x.s, b)
			if err != nil {
				return nil, at(err, n)
			}
			return &strV{s: s, span: spanOf(n)}, nil
		case "*":
			if k, ok := asInt(b); ok {
				return in.repeatStr(n, x.s, k)
			}
		}
	case *listV:
		switch op {
		case "+":
			if y, ok := b.(*listV); ok {
				if err := in.chargeSeq(n, int64(len(x.items)+len(y.items))); err != nil {
					return nil, err
				}
				return &listV{items: concat(x.items, y.items)}, nil
			}
		case "*":
			if k, ok := asInt(b); ok {
				items, err := in.repeatSeq(n, x.items, k)
				return &listV{items: items}, err
			}
		}
	case *tupleV:
		switch op {
		case "+":
			if y, ok := b.(*tupleV); ok {
				if err := in.chargeSeq(n, int64(len(x.items)+len(y.items))); err != nil {
					return nil, err
				}
				return &tupleV{items: concat(x.items, y.items)}, nil
			}
		case "*":
			if k, ok := asInt(b); ok {
				items, err := in.repeatSeq(n, x.items, k)
				return &tupleV{items: items}, err
			}
		}
	case *dictV:
		if y, ok := b.(*dictV); ok && op == "|" {
			if err := in.chargeDict(n, int64(len(x.keys)+len(y.keys))); err != nil {
				return nil, err
			}
			d := x.copy()
			for i, k := range y.keys {
				if err := d.set(k, y.vals[i], y.spans[i]); err != nil {
					return nil, at(err, n)
				}
			}
			return d, nil
		}
	case *setV:
		if y, ok := b.(*setV); ok {
			if err := in.chargeDict(n, int64(len(x.d.keys)+len(y.d.keys))); err != nil {
				return nil, err
			}
			return setOp(n, op, x, y)
		}
	case *typeV, *classV:
		if op == "|" {
			// X | None in an annotation or alias.
			return &opaqueV{reason: "a type union", line: n.Line, col: n.Col, harmless: true}, nil
		}
	}
	if ia, ok := asInt(a); ok {
		if ib, ok := asInt(b); ok {
			if _, isBool := a.(bool); isBool && (op == "&" || op == "|" || op == "^") {
				if _, isBoolB := b.(bool); isBoolB {
					r, err := intOp(n, op, ia, ib)
					if err != nil {
						return nil, err
					}
					return r.(int64) != 0, nil
				}
			}
			switch op {
			case "*":
				if s, ok := b.(*strV); ok {
					return in.repeatStr(n, s.s, ia)
				}
			}
			return intOp(n, op, ia, ib)
		}
		switch y := b.(type) {
		case *strV:
			if op == "*" {
				return in.repeatStr(n, y.s, ia)
			}
		case *listV:
			if op == "*" {
				items, err := in.repeatSeq(n, y.items, ia)
				return &listV{items: items}, err
			}
		case *tupleV:
			if op == "*" {
				items, err := in.repeatSeq(n, y.items, ia)
				return &tupleV{items: items}, err
			}
		}
	}
	if fa, ok := asFloat(a); ok {
		if fb, ok := asFloat(b); ok {
			return floatOp(n, op, fa, fb)
		}
	}
	return nil, at(pyErrf("TypeError", "unsupported operand type(s) for %s: '%s' and '%s'", op, typeName(a), typeName(b)), n)
}

func concat(a, b []value) []value {
	out := make([]value, 0, len(a)+len(b))
	return append(append(out, a...), b...)
}

func (in *interp) repeatStr(n *syntax.Node, s string, k int64) (value, error) {
	if k <= 0 || s == "" {
		return &strV{span: spanOf(n)}, nil
	}
	if k > maxValueSize || int64(len(s))*k > maxValueSize {
		return nil, in.charge(n, maxValueSize+1)
	}
	if err := in.chargeStr(n, int64(len(s))*k); err != nil {
		return nil, err
	}
	return &strV{s: strings.Repeat(s, int(k)), span: spanOf(n)}, nil
}

func (in *interp) repeatSeq(n *syntax.Node, items []value, k int64) ([]value, error) {
	if k <= 0 || len(items) == 0 {
		return []value{}, nil
	}
	if k > maxValueSize || int64(len(items))*k > maxValueSize {
		return nil, in.charge(n, maxValueSize+1)
	}
	if err := in.charge(n, int64(len(items))*k); err != nil {
		return nil, err
	}
	out := make([]value, 0, len(items)*int(k))
	for i := int64(0); i < k; i++ {
		out = append(out, items...)
	}
	return out, nil
}

func overflow(n *syntax.Node) (value, error) {
	return &opaqueV{reason: "integer overflow (values beyond 64 bits are not evaluated)", line: n.Line, col: n.Col}, nil
}

func intOp(n *syntax.Node, op string, a, b int64) (value, error) {
	switch op {
	case "+":
		r := a + b
		if (b > 0 && r < a) || (b < 0 && r > a) {
			return overflow(n)
		}
		return r, nil
	case "-":
		r := a - b
		if (b < 0 && r < a) || (b > 0 && r > a) {
			return overflow(n)
		}
		return r, nil
	case "*":
		if a == 0 || b == 0 {
			return int64(0), nil
		}
		r := a * b
		if r/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
			return overflow(n)
		}
		return r, nil
	case "/":
		if b == 0 {
			return nil, at(pyErrf("ZeroDivisionError", "division by zero"), n)
		}
		return float64(a) / float64(b), nil
	case "//", "%":
		if b == 0 {
			return nil, at(pyErrf("ZeroDivisionError", "integer division or modulo by zero"), n)
		}
		if a == math.MinInt64 && b == -1 {
			return overflow(n)
		}
		q, r := a/b, a%b
		if r != 0 && (r < 0) != (b < 0) {
			q--
			r += b
		}
		if op == "//" {
			return q, nil
		}
		return r, nil
	case "**":
		if b < 0 {
			return math.Pow(float64(a), float64(b)), nil
		}
		result := int64(1)
		for i := int64(0); i < b; i++ {
			next := result * a
			if a != 0 && next/a != result {
				return overflow(n)
			}
			result = next
			if result == 0 || result == 1 && a == 1 {
				break
			}
			if a == -1 {
				if b%2 == 0 {
					return int64(1), nil
				}
				return int64(-1), nil
			}
		}
		return result, nil
	case "<<":
		if b < 0 {
			return nil, at(pyErrf("ValueError", "negative shift count"), n)
		}
		if b >= 63 || (a<<b)>>b != a {
			return overflow(n)
		}
		return a << b, nil
	case ">>":
		if b < 0 {
			return nil, at(pyErrf("ValueError", "negative shift count"), n)
		}
		if b >= 63 {
			if a < 0 {
				return int64(-1), nil
			}
			return int64(0), nil
		}
		return a >> b, nil
	case "&":
		return a & b, nil
	case "|":
		return a | b, nil
	case "^":
		return a ^ b, nil
	}
	return nil, at(pyErrf("TypeError", "unsupported operand type(s) for %s: 'int' and 'int'", op), n)
}

func floatOp(n *syntax.Node, op string, a, b float64) (value, error) {
	switch op {
	case "+":
		return a + b, nil
	case "-":
		return a - b, nil
	case "*":
		return a * b, nil
	case "/":
		if b == 0 {
			return nil, at(pyErrf("ZeroDivisionError", "float division by zero"), n)
		}
		return a / b, nil
	case "//":
		if b == 0 {
			return nil, at(pyErrf("ZeroDivisionError", "float floor division by zero"), n)
		}
		return math.Floor(a / b), nil
	case "%":
		if b == 0 {
			return nil, at(pyErrf("ZeroDivisionError", "float modulo"), n)
		}
		r := math.Mod(a, b)
		if r != 0 && (r < 0) != (b < 0) {
			r += b
		}
		return r, nil
	case "**":
		return math.Pow(a, b), nil
	}
	return nil, at(pyErrf("TypeError", "unsupported operand type(s) for %s: 'float' and 'float'", op), n)
}

func setOp(n *syntax.Node, op string, a, b *setV) (value, error) {
	out := &setV{d: newDict()}
	add := func(k value) { _ = out.d.set(k, none, pin.Span{}) } // members were hashed when added
	switch op {
	case "|":
		for _, k := range a.d.keys {
			add(k)
		}
		for _, k := range b.d.keys {
			add(k)
		}
	case "&", "-":
		for _, k := range a.d.keys {
			_, inB, _ := b.d.get(k)
			if inB == (op == "&") {
				add(k)
			}
		}
	case "^":
		for _, k := range a.d.keys {
			if _, inB, _ := b.d.get(k); !inB {
				add(k)
			}
		}
		for _, k := range b.d.keys {
			if _, inA, _ := a.d.get(k); !inA {
				add(k)
			}
		}
	default:
		return nil, at(pyErrf("TypeError", "unsupported operand type(s) for %s: 'set' and 'set'", op), n)
	}
	return out, nil
}

// index resolves a possibly negative index into a sequence of length n.
func index(nd *syntax.Node, key value, length int) (int, error) {
	i, ok := asInt(key)
	if !ok {
		return 0, at(pyErrf("TypeError", "indices must be integers, not %s", typeName(key)), nd)
	}
	if i < 0 {
		i += int64(length)
	}
	if i < 0 || i >= int64(length) {
		return 0, at(pyErrf("IndexError", "index out of range"), nd)
	}
	return int(i), nil
}

// sliceIndices applies Python's slice rules to a sequence of length n,
// charging the slice's length before building it.
func (in *interp) sliceIndices(nd *syntax.Node, s *sliceV, length int) ([]int, error) {
	start, step, count, err := sliceRange(nd, s, length)
	if err != nil {
		return nil, err
	}
	if err := in.chargeSeq(nd, count); err != nil {
		return nil, err
	}
	out := make([]int, count)
	for i := range out {
		out[i] = int(start + int64(i)*step)
	}
	return out, nil
}

// sliceRange applies Python's slice rules to a sequence of length n: the
// slice is count indexes from start, step apart.
func sliceRange(nd *syntax.Node, s *sliceV, length int) (start, step, count int64, err error) {
	step = 1
	if s.step != none {
		st, ok := asInt(s.step)
		if !ok {
			return 0, 0, 0, at(pyErrf("TypeError", "slice indices must be integers"), nd)
		}
		if st == 0 {
			return 0, 0, 0, at(pyErrf("ValueError", "slice step cannot be zero"), nd)
		}
		step = st
	}
	n := int64(length)
	bound := func(v value, def int64) (int64, error) {
		if v == none {
			return def, nil
		}
		i, ok := asInt(v)
		if !ok {
			return 0, at(pyErrf("TypeError", "slice indices must be integers"), nd)
		}
		if i < 0 {
			i += n
			if i < 0 {
				if step < 0 {
					return -1, nil
				}
				return 0, nil
			}
		}
		if i >= n {
			if step < 0 {
				return n - 1, nil
			}
			return n, nil
		}
		return i, nil
	}
	var stop int64
	if step > 0 {
		if start, err = bound(s.start, 0); err != nil {
			return 0, 0, 0, err
		}
		if stop, err = bound(s.stop, n); err != nil {
			return 0, 0, 0, err
		}
	} else {
		if start, err = bound(s.start, n-1); err != nil {
			return 0, 0, 0, err
		}
		if stop, err = bound(s.stop, -1); err != nil {
			return 0, 0, 0, err
		}
	}
	switch {
	case step > 0 && start < stop:
		count = (stop - start + step - 1) / step
	case step < 0 && start > stop:
		count = (start - stop - step - 1) / -step
	}
	return start, step, count, nil
}

func (in *interp) getItem(n *syntax.Node, obj, key value) (value, error) {
	if o := firstOpaque(obj); o != nil {
		return o, nil
	}
	if o := firstOpaque(key); o != nil {
		if _, isType := obj.(*typeV); !isType {
			return o, nil
		}
	}
	if s, ok := key.(*sliceV); ok {
		return in.getSlice(n, obj, s)
	}
	switch x := obj.(type) {
	case *dictV:
		if err := in.work(n, keyUnits(key)); err != nil {
			return nil, err
		}
		v, found, err := x.get(key)
		if err != nil {
			return nil, at(err, n)
		}
		if !found {
			return nil, at(pyErrf("KeyError", "%s", pyRepr(key)), n)
		}
		return v, nil
	case *listV:
		i, err := index(n, key, len(x.items))
		if err != nil {
			return nil, err
		}
		return x.items[i], nil
	case *tupleV:
		i, err := index(n, key, len(x.items))
		if err != nil {
			return nil, err
		}
		return x.items[i], nil
	case *strV:
		if err := in.work(n, int64(len(x.s))); err != nil {
			return nil, err
		}
		r := []rune(x.s)
		i, err := index(n, key, len(r))
		if err != nil {
			return nil, err
		}
		return &strV{s: string(r[i]), span: spanOf(n)}, nil
	case *rangeV:
		i, err := index(n, key, int(min(x.length(), maxValueSize)))
		if err != nil {
			return nil, err
		}
		return x.start + int64(i)*x.step, nil
	case *instanceV:
		if x.class.isTuple {
			i, err := index(n, key, len(x.attrs.vals))
			if err != nil {
				return nil, err
			}
			return x.attrs.vals[i], nil
		}
	case *classV:
		if x.isEnum {
			if k, ok := key.(*strV); ok {
				if m, found, _ := x.members.get(k); found {
					return m, nil
				}
				return nil, at(pyErrf("KeyError", "%s", pyRepr(key)), n)
			}
		}
		return &opaqueV{reason: "a generic type", line: n.Line, col: n.Col, harmless: true}, nil
	case *typeV:
		return &opaqueV{reason: "a type annotation", line: n.Line, col: n.Col, harmless: true}, nil
	}
	return nil, at(pyErrf("TypeError", "'%s' object is not subscriptable", typeName(obj)), n)
}

func (in *interp) getSlice(n *syntax.Node, obj value, s *sliceV) (value, error) {
	pick := func(items []value) ([]value, error) {
		idx, err := in.sliceIndices(n, s, len(items))
		if err != nil {
			return nil, err
		}
		out := make([]value, len(idx))
		for i, j := range idx {
			out[i] = items[j]
		}
		return out, nil
	}
	switch x := obj.(type) {
	case *listV:
		items, err := pick(x.items)
		return &listV{items: items}, err
	case *tupleV:
		items, err := pick(x.items)
		return &tupleV{items: items}, err
	case *strV:
		if err := in.work(n, int64(len(x.s))); err != nil {
			return nil, err
		}
		if isASCII(x.s) {
			start, step, count, err := sliceRange(n, s, len(x.s))
			if err != nil {
				return nil, err
			}
			if err := in.chargeStr(n, count); err != nil {
				return nil, err
			}
			if step == 1 {
				return &strV{s: x.s[start : start+count], span: spanOf(n)}, nil
			}
			b := make([]byte, count)
			for i := range b {
				b[i] = x.s[start+int64(i)*step]
			}
			return &strV{s: string(b), span: spanOf(n)}, nil
		}
		r := []rune(x.s)
		idx, err := in.sliceIndices(n, s, len(r))
		if err != nil {
			return nil, err
		}
		out := make([]rune, len(idx))
		for i, j := range idx {
			out[i] = r[j]
		}
		return &strV{s: string(out), span: spanOf(n)}, nil
	case *rangeV:
		items, err := in.iterate(n, x)
		if err != nil {
			return nil, err
		}
		items, err = pick(items)
		return &listV{items: items}, err
	}
	return nil, at(pyErrf("TypeError", "'%s' object is not subscriptable", typeName(obj)), n)
}

func (in *interp) setItem(n *syntax.Node, obj, key, v value, sp pin.Span) error {
	switch x := obj.(type) {
	case *opaqueV:
		return nil
	case *dictV:
		if err := in.setEntry(n, x, key); err != nil {
			return err
		}
		return x.set(key, v, sp)
	case *listV:
		if s, ok := key.(*sliceV); ok && s.step == none {
			items, err := in.iterate(n, v)
			if err != nil {
				return err
			}
			idx, err := in.sliceIndices(n, &sliceV{start: s.start, stop: s.stop, step: none}, len(x.items))
			if err != nil {
				return err
			}
			lo, hi := len(x.items), len(x.items)
			if len(idx) > 0 {
				lo, hi = idx[0], idx[len(idx)-1]+1
			} else if st, ok := asInt(s.start); ok {
				lo = int(max(0, min(st, int64(len(x.items)))))
				hi = lo
			}
			if err := in.chargeSeq(n, int64(len(x.items)-(hi-lo)+len(items))); err != nil {
				return err
			}
			x.items = concat(concat(x.items[:lo], items), x.items[hi:])
			return nil
		}
		i, err := index(n, key, len(x.items))
		if err != nil {
			return err
		}
		x.items[i] = v
		return nil
	}
	return pyErrf("TypeError", "'%s' object does not support item assignment", typeName(obj))
}

// iterate lists the elements for iteration. An unknown iterable unwinds as
// opaque control flow.
func (in *interp) iterate(n *syntax.Node, v value) ([]value, error) {
	switch x := v.(type) {
	case *listV:
		return append([]value(nil), x.items...), in.chargeSeq(n, int64(len(x.items)))
	case *tupleV:
		return x.items, nil
	case *strV:
		count := int64(pyLen(x.s))
		if err := in.chargeSeq(n, count); err != nil {
			return nil, err
		}
		if err := in.alloc(n, count*objBytes); err != nil {
			return nil, err
		}
		out := make([]value, 0, count)
		for _, r := range x.s {
			out = append(out, &strV{s: string(r)})
		}
		return out, nil
	case *dictV:
		return append([]value(nil), x.keys...), in.chargeSeq(n, int64(len(x.keys)))
	case *setV:
		return append([]value(nil), x.d.keys...), in.chargeSeq(n, int64(len(x.d.keys)))
	case *rangeV:
		l := x.length()
		if err := in.charge(n, l); err != nil {
			return nil, err
		}
		out := make([]value, 0, l)
		for i := int64(0); i < l; i++ {
			out = append(out, x.start+i*x.step)
		}
		return out, nil
	case *instanceV:
		if x.class.isTuple {
			return append([]value(nil), x.attrs.vals...), nil
		}
	case *classV:
		if x.isEnum {
			return append([]value(nil), x.members.vals...), nil
		}
	case *opaqueV:
		return nil, &opaqueFlow{opaqueBecause(n, x, "the iterable")}
	}
	return nil, at(pyErrf("TypeError", "'%s' object is not iterable", typeName(v)), n)
}
