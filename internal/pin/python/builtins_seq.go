package python

import (
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

func builtinRange(in *interp, a *callArgs) (value, error) {
	var args []value
	if err := unpackArgs("range", a, "*args", &args); err != nil {
		return nil, err
	}
	if o := firstOpaque(args...); o != nil {
		return o, nil
	}
	ints := make([]int64, len(args))
	for i, v := range args {
		n, ok := asInt(v)
		if !ok {
			return nil, pyErrf("TypeError", "'%s' object cannot be interpreted as an integer", typeName(v))
		}
		ints[i] = n
	}
	switch len(ints) {
	case 1:
		return &rangeV{0, ints[0], 1}, nil
	case 2:
		return &rangeV{ints[0], ints[1], 1}, nil
	case 3:
		if ints[2] == 0 {
			return nil, pyErrf("ValueError", "range() arg 3 must not be zero")
		}
		return &rangeV{ints[0], ints[1], ints[2]}, nil
	}
	return nil, pyErrf("TypeError", "range expected 1 to 3 arguments, got %d", len(ints))
}

func builtinEnumerate(in *interp, a *callArgs) (value, error) {
	var it, startArg value = nil, int64(0)
	if err := unpackArgs("enumerate", a, "iterable", &it, "start?", &startArg); err != nil {
		return nil, err
	}
	items, o, err := in.iterArg(a, it)
	if o != nil || err != nil {
		return o, err
	}
	start, ok := asInt(startArg)
	if !ok {
		return nil, pyErrf("TypeError", "enumerate() start must be an integer")
	}
	if err := in.chargeSeq(a.n, int64(len(items))*3); err != nil {
		return nil, err
	}
	if err := in.alloc(a.n, int64(len(items))*objBytes); err != nil {
		return nil, err
	}
	out := make([]value, len(items))
	for i, it := range items {
		out[i] = &tupleV{items: []value{start + int64(i), it}}
	}
	return &listV{items: out}, nil
}

func builtinZip(in *interp, a *callArgs) (value, error) {
	var iterables []value
	var strict value
	if err := unpackArgs("zip", a, "*iterables", &iterables, "strict?", &strict); err != nil {
		return nil, err
	}
	var seqs [][]value
	shortest := -1
	for _, it := range iterables {
		items, o, err := in.iterArg(a, it)
		if o != nil || err != nil {
			return o, err
		}
		seqs = append(seqs, items)
		if shortest < 0 || len(items) < shortest {
			shortest = len(items)
		}
	}
	if err := in.chargeSeq(a.n, int64(max(shortest, 0))*int64(len(seqs)+1)); err != nil {
		return nil, err
	}
	if err := in.alloc(a.n, int64(max(shortest, 0))*objBytes); err != nil {
		return nil, err
	}
	out := make([]value, 0, max(shortest, 0))
	for i := 0; i < shortest; i++ {
		t := make([]value, len(seqs))
		for j := range seqs {
			t[j] = seqs[j][i]
		}
		out = append(out, &tupleV{items: t})
	}
	return &listV{items: out}, nil
}

func builtinReversed(in *interp, a *callArgs) (value, error) {
	items, o, err := in.iterableArg("reversed", "sequence", a)
	if o != nil || err != nil {
		return o, err
	}
	if err := in.chargeSeq(a.n, int64(len(items))); err != nil {
		return nil, err
	}
	out := make([]value, len(items))
	for i, it := range items {
		out[len(items)-1-i] = it
	}
	return &listV{items: out}, nil
}

func builtinSorted(in *interp, a *callArgs) (value, error) {
	var it, key, rev value
	if err := unpackArgs("sorted", a, "iterable", &it, "key?", &key, "reverse?", &rev); err != nil {
		return nil, err
	}
	items, o, err := in.iterArg(a, it)
	if o != nil || err != nil {
		return o, err
	}
	return in.sorted(a.n, append([]value{}, items...), key, rev)
}

func builtinMin(in *interp, a *callArgs) (value, error) { return in.minMax("min", a, -1) }
func builtinMax(in *interp, a *callArgs) (value, error) { return in.minMax("max", a, 1) }

func builtinSum(in *interp, a *callArgs) (value, error) {
	var it, acc value = nil, int64(0)
	if err := unpackArgs("sum", a, "iterable", &it, "start?", &acc); err != nil {
		return nil, err
	}
	items, o, err := in.iterArg(a, it)
	if o != nil || err != nil {
		return o, err
	}
	for _, it := range items {
		if err := in.work(a.n, 1); err != nil {
			return nil, err
		}
		if acc, err = in.binary(a.n, "+", acc, it); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func builtinAny(in *interp, a *callArgs) (value, error) { return in.anyAll("any", a, true) }
func builtinAll(in *interp, a *callArgs) (value, error) { return in.anyAll("all", a, false) }

// builtinMap applies the function to the first iterable only; further
// iterables are accepted and not used.
func builtinMap(in *interp, a *callArgs) (value, error) {
	var fn, it value
	var more []value
	if err := unpackArgs("map", a, "function", &fn, "iterable", &it, "*iterables", &more); err != nil {
		return nil, err
	}
	items, o, err := in.iterArg(a, it)
	if o != nil || err != nil {
		return o, err
	}
	out := make([]value, len(items))
	for i, it := range items {
		if out[i], err = in.call(a.n, fn, &callArgs{n: a.n, pos: []value{it}, posSpans: []pin.Span{{}}}); err != nil {
			return nil, err
		}
	}
	return &listV{items: out}, nil
}

func builtinFilter(in *interp, a *callArgs) (value, error) {
	var fn, it value
	if err := unpackArgs("filter", a, "function", &fn, "iterable", &it); err != nil {
		return nil, err
	}
	items, o, err := in.iterArg(a, it)
	if o != nil || err != nil {
		return o, err
	}
	var out []value
	for _, it := range items {
		if err := in.work(a.n, 1); err != nil {
			return nil, err
		}
		keep := it
		if fn != value(none) {
			if keep, err = in.call(a.n, fn, &callArgs{n: a.n, pos: []value{it}, posSpans: []pin.Span{{}}}); err != nil {
				return nil, err
			}
		}
		b, ok := truth(keep)
		if !ok {
			return keep, nil
		}
		if b {
			out = append(out, it)
		}
	}
	return &listV{items: append([]value{}, out...)}, nil
}

func (in *interp) sorted(n *syntax.Node, items []value, key, rev value) (value, error) {
	keys := items
	if key != nil && key != value(none) {
		keys = make([]value, len(items))
		for i, it := range items {
			k, err := in.call(n, key, &callArgs{n: n, pos: []value{it}, posSpans: []pin.Span{{}}})
			if err != nil {
				return nil, err
			}
			keys[i] = k
		}
	}
	if o := firstOpaque(keys...); o != nil {
		return o, nil
	}
	reverse := false
	if rev != nil {
		b, ok := truth(rev)
		if !ok {
			return rev, nil
		}
		reverse = b
	}
	if err := in.chargeSeq(n, int64(len(items))); err != nil {
		return nil, err
	}
	out := append([]value{}, items...)
	if err := in.sortValues(n, out, keys, reverse); err != nil {
		return nil, at(err, n)
	}
	return &listV{items: out}, nil
}

// minMax is min (sign -1) and max (sign 1): over one iterable argument,
// or over several arguments.
func (in *interp) minMax(fn string, a *callArgs, sign int) (value, error) {
	var items []value
	var key, def value
	if err := unpackArgs(fn, a, "*args", &items, "key?", &key, "default?", &def); err != nil {
		return nil, err
	}
	if len(items) == 1 {
		var o *opaqueV
		var err error
		if items, o, err = in.iterArg(a, items[0]); o != nil || err != nil {
			return o, err
		}
	}
	if len(items) == 0 {
		if def != nil {
			return def, nil
		}
		return nil, pyErrf("ValueError", "min()/max() arg is an empty sequence")
	}
	best, bestKey := items[0], items[0]
	for i, it := range items {
		k := it
		if key != nil && key != value(none) {
			var err error
			if k, err = in.call(a.n, key, &callArgs{n: a.n, pos: []value{it}, posSpans: []pin.Span{{}}}); err != nil {
				return nil, err
			}
		}
		if o := firstOpaque(k); o != nil {
			return o, nil
		}
		if i == 0 {
			bestKey = k
			continue
		}
		c, err := in.order(a.n, k, bestKey)
		if err != nil {
			return nil, err
		}
		if c*sign > 0 {
			best, bestKey = it, k
		}
	}
	return best, nil
}

func (in *interp) anyAll(fn string, a *callArgs, isAny bool) (value, error) {
	items, o, err := in.iterableArg(fn, "iterable", a)
	if o != nil || err != nil {
		return o, err
	}
	for _, it := range items {
		if err := in.work(a.n, 1); err != nil {
			return nil, err
		}
		b, ok := truth(it)
		if !ok {
			return it, nil
		}
		if b == isAny {
			return isAny, nil
		}
	}
	return !isAny, nil
}
