package python

import (
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

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
