package python

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

func builtin(name string, fn methodFn) *builtinV { return &builtinV{name: name, fn: fn} }

func typeCtor(name string, fn methodFn) *typeV { return &typeV{name: name, ctor: builtin(name, fn)} }

// newBuiltins returns the builtins namespace. Nothing here can reach the
// file system, the network or another process: open, exec, eval, __import__
// and friends are simply not defined, so using them is a NameError.
func newBuiltins() map[string]value {
	b := map[string]value{
		"str": typeCtor("str", func(in *interp, a *callArgs) (value, error) {
			if len(a.pos) == 0 {
				return &strV{span: spanOf(a.n)}, nil
			}
			if o := firstOpaque(a.pos[0]); o != nil {
				return o, nil
			}
			if s, ok := a.pos[0].(*strV); ok {
				return s, nil
			}
			s, err := in.str(a.n, a.pos[0])
			return &strV{s: s, span: spanOf(a.n)}, err
		}),
		"int": typeCtor("int", func(in *interp, a *callArgs) (value, error) {
			v := a.arg(0, "x", int64(0))
			switch x := v.(type) {
			case *opaqueV:
				return x, nil
			case bool, int64:
				i, _ := asInt(x)
				return i, nil
			case float64:
				if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) >= 1<<63 {
					return nil, pyErrf("ValueError", "cannot convert float %s to integer", floatRepr(x))
				}
				return int64(x), nil
			case *strV:
				base, err := intArg(a, 0, "base", 10)
				if err != nil {
					return nil, err
				}
				t := strings.TrimSpace(x.s)
				if base == 0 {
					// Go's base 0 reads the same 0x/0o/0b prefixes and
					// underscores as Python's.
					base = 0
				} else if base == 16 || base == 8 || base == 2 {
					prefix := map[int64]string{16: "0x", 8: "0o", 2: "0b"}[base]
					sign := ""
					if t != "" && (t[0] == '-' || t[0] == '+') {
						sign, t = t[:1], t[1:]
					}
					if len(t) > 2 && strings.EqualFold(t[:2], prefix) {
						t = t[2:]
					}
					t = sign + t
				}
				if base != 0 {
					t = strings.ReplaceAll(t, "_", "")
				}
				i, err := strconv.ParseInt(t, int(base), 64)
				if err != nil {
					return nil, pyErrf("ValueError", "invalid literal for int() with base %d: %s", base, pyRepr(x))
				}
				return i, nil
			}
			return nil, pyErrf("TypeError", "int() argument must be a string or a number, not '%s'", typeName(v))
		}),
		"float": typeCtor("float", func(in *interp, a *callArgs) (value, error) {
			v := a.arg(0, "x", 0.0)
			switch x := v.(type) {
			case *opaqueV:
				return x, nil
			case *strV:
				f, err := strconv.ParseFloat(strings.TrimSpace(x.s), 64)
				if err != nil {
					return nil, pyErrf("ValueError", "could not convert string to float: %s", pyRepr(x))
				}
				return f, nil
			}
			if f, ok := asFloat(v); ok {
				return f, nil
			}
			return nil, pyErrf("TypeError", "float() argument must be a string or a number, not '%s'", typeName(v))
		}),
		"bool": typeCtor("bool", func(in *interp, a *callArgs) (value, error) {
			v := a.arg(0, "x", false)
			b, ok := truth(v)
			if !ok {
				return v, nil
			}
			return b, nil
		}),
		"list": typeCtor("list", func(in *interp, a *callArgs) (value, error) {
			items, o, err := in.iterArg(a, 0)
			if o != nil || err != nil {
				return o, err
			}
			return &listV{items: append([]value{}, items...)}, in.chargeSeq(a.n, int64(len(items)))
		}),
		"tuple": typeCtor("tuple", func(in *interp, a *callArgs) (value, error) {
			items, o, err := in.iterArg(a, 0)
			if o != nil || err != nil {
				return o, err
			}
			return &tupleV{items: append([]value{}, items...)}, in.chargeSeq(a.n, int64(len(items)))
		}),
		"set":       typeCtor("set", setCtor),
		"frozenset": typeCtor("frozenset", setCtor),
		"dict": typeCtor("dict", func(in *interp, a *callArgs) (value, error) {
			d := newDict()
			if len(a.pos) > 0 {
				if err := in.updateFrom(a.n, d, a.pos[0]); err != nil {
					return nil, err
				}
			}
			for i, k := range a.kwNames {
				if err := d.set(&strV{s: k}, a.kwVals[i], a.kwSpans[i]); err != nil {
					return nil, err
				}
			}
			return d, nil
		}),
		"object": typeCtor("object", func(in *interp, a *callArgs) (value, error) {
			return &instanceV{class: &classV{name: "object", attrs: map[string]value{}}, attrs: newDict()}, nil
		}),
		"bytes": typeCtor("bytes", func(in *interp, a *callArgs) (value, error) {
			return &opaqueV{reason: "bytes values are not evaluated", line: a.n.Line, col: a.n.Col}, nil
		}),
		"type": typeCtor("type", func(in *interp, a *callArgs) (value, error) {
			return &opaqueV{reason: "type() is not evaluated", line: a.n.Line, col: a.n.Col, harmless: true}, nil
		}),
		"len": builtin("len", func(in *interp, a *callArgs) (value, error) {
			switch x := a.arg(0, "obj", none).(type) {
			case *opaqueV:
				return x, nil
			case *strV:
				if err := in.work(a.n, int64(len(x.s))); err != nil {
					return nil, err
				}
				return int64(pyLen(x.s)), nil
			case *listV:
				return int64(len(x.items)), nil
			case *tupleV:
				return int64(len(x.items)), nil
			case *dictV:
				return int64(len(x.keys)), nil
			case *setV:
				return int64(len(x.d.keys)), nil
			case *rangeV:
				return x.length(), nil
			case *instanceV:
				if x.class.isTuple {
					return int64(len(x.attrs.keys)), nil
				}
			case *classV:
				if x.isEnum {
					return int64(len(x.members.keys)), nil
				}
			}
			return nil, pyErrf("TypeError", "object of type '%s' has no len()", typeName(a.arg(0, "obj", none)))
		}),
		"range": builtin("range", func(in *interp, a *callArgs) (value, error) {
			if o := a.opaque(); o != nil {
				return o, nil
			}
			ints := make([]int64, len(a.pos))
			for i, v := range a.pos {
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
		}),
		"enumerate": builtin("enumerate", func(in *interp, a *callArgs) (value, error) {
			items, o, err := in.iterArg(a, 0)
			if o != nil || err != nil {
				return o, err
			}
			start, ok := asInt(a.arg(1, "start", int64(0)))
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
		}),
		"zip": builtin("zip", func(in *interp, a *callArgs) (value, error) {
			var seqs [][]value
			shortest := -1
			for i := range a.pos {
				items, o, err := in.iterArg(a, i)
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
		}),
		"reversed": builtin("reversed", func(in *interp, a *callArgs) (value, error) {
			items, o, err := in.iterArg(a, 0)
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
		}),
		"sorted": builtin("sorted", func(in *interp, a *callArgs) (value, error) {
			items, o, err := in.iterArg(a, 0)
			if o != nil || err != nil {
				return o, err
			}
			key, _ := a.kw("key")
			rev, _ := a.kw("reverse")
			return in.sorted(a.n, append([]value{}, items...), key, rev)
		}),
		"min": builtin("min", func(in *interp, a *callArgs) (value, error) { return in.minMax(a, -1) }),
		"max": builtin("max", func(in *interp, a *callArgs) (value, error) { return in.minMax(a, 1) }),
		"sum": builtin("sum", func(in *interp, a *callArgs) (value, error) {
			items, o, err := in.iterArg(a, 0)
			if o != nil || err != nil {
				return o, err
			}
			acc := a.arg(1, "start", int64(0))
			for _, it := range items {
				if err := in.work(a.n, 1); err != nil {
					return nil, err
				}
				if acc, err = in.binary(a.n, "+", acc, it); err != nil {
					return nil, err
				}
			}
			return acc, nil
		}),
		"any": builtin("any", func(in *interp, a *callArgs) (value, error) { return in.anyAll(a, true) }),
		"all": builtin("all", func(in *interp, a *callArgs) (value, error) { return in.anyAll(a, false) }),
		"map": builtin("map", func(in *interp, a *callArgs) (value, error) {
			if len(a.pos) < 2 {
				return nil, pyErrf("TypeError", "map() must have at least two arguments")
			}
			items, o, err := in.iterArg(a, 1)
			if o != nil || err != nil {
				return o, err
			}
			out := make([]value, len(items))
			for i, it := range items {
				if out[i], err = in.call(a.n, a.pos[0], &callArgs{n: a.n, pos: []value{it}, posSpans: []pin.Span{{}}}); err != nil {
					return nil, err
				}
			}
			return &listV{items: out}, nil
		}),
		"filter": builtin("filter", func(in *interp, a *callArgs) (value, error) {
			items, o, err := in.iterArg(a, 1)
			if o != nil || err != nil {
				return o, err
			}
			var out []value
			for _, it := range items {
				if err := in.work(a.n, 1); err != nil {
					return nil, err
				}
				keep := it
				if a.pos[0] != value(none) {
					if keep, err = in.call(a.n, a.pos[0], &callArgs{n: a.n, pos: []value{it}, posSpans: []pin.Span{{}}}); err != nil {
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
		}),
		"isinstance": builtin("isinstance", func(in *interp, a *callArgs) (value, error) {
			if len(a.pos) != 2 {
				return nil, pyErrf("TypeError", "isinstance expected 2 arguments")
			}
			return isInstance(a.pos[0], a.pos[1], 0)
		}),
		"repr": builtin("repr", func(in *interp, a *callArgs) (value, error) {
			v := a.arg(0, "obj", none)
			if o := firstOpaque(v); o != nil {
				return o, nil
			}
			s, err := in.repr(a.n, v)
			return &strV{s: s, span: spanOf(a.n)}, err
		}),
		"format": builtin("format", func(in *interp, a *callArgs) (value, error) {
			v := a.arg(0, "value", none)
			spec, _ := a.arg(1, "format_spec", &strV{}).(*strV)
			if o := firstOpaque(v); o != nil || spec == nil {
				return firstOpaqueOr(v, pyErrf("TypeError", "format spec must be str"))
			}
			s, err := in.formatValue(a.n, v, spec.s)
			return &strV{s: s, span: spanOf(a.n)}, err
		}),
		"abs": builtin("abs", func(in *interp, a *callArgs) (value, error) {
			switch x := a.arg(0, "x", none).(type) {
			case int64:
				if x < 0 {
					return intOp(a.n, "-", 0, x)
				}
				return x, nil
			case float64:
				return math.Abs(x), nil
			case bool:
				i, _ := asInt(x)
				return i, nil
			case *opaqueV:
				return x, nil
			}
			return nil, pyErrf("TypeError", "bad operand type for abs()")
		}),
		"round": builtin("round", func(in *interp, a *callArgs) (value, error) {
			x, ok := asFloat(a.arg(0, "number", none))
			if !ok {
				return firstOpaqueOr(a.arg(0, "number", none), pyErrf("TypeError", "round() needs a number"))
			}
			nd, _ := asInt(a.arg(1, "ndigits", int64(0)))
			if a.arg(1, "ndigits", none) == value(none) {
				return int64(math.RoundToEven(x)), nil
			}
			p := math.Pow(10, float64(nd))
			return math.RoundToEven(x*p) / p, nil
		}),
		"ord": builtin("ord", func(in *interp, a *callArgs) (value, error) {
			s, ok := a.arg(0, "c", none).(*strV)
			if !ok || pyLen(s.s) != 1 {
				return firstOpaqueOr(a.arg(0, "c", none), pyErrf("TypeError", "ord() expected a character"))
			}
			return int64([]rune(s.s)[0]), nil
		}),
		"chr": builtin("chr", func(in *interp, a *callArgs) (value, error) {
			i, ok := asInt(a.arg(0, "i", none))
			if !ok || i < 0 || i > 0x10ffff {
				return firstOpaqueOr(a.arg(0, "i", none), pyErrf("ValueError", "chr() arg not in range(0x110000)"))
			}
			return &strV{s: string(rune(i)), span: spanOf(a.n)}, nil
		}),
		"hex": builtin("hex", func(in *interp, a *callArgs) (value, error) {
			i, ok := asInt(a.arg(0, "x", none))
			if !ok {
				return firstOpaqueOr(a.arg(0, "x", none), pyErrf("TypeError", "hex() needs an integer"))
			}
			s, err := formatInt(i, fmtSpec{fill: ' ', precision: -1, alt: true, typ: 'x'})
			return &strV{s: s, span: spanOf(a.n)}, err
		}),
		"callable": builtin("callable", func(in *interp, a *callArgs) (value, error) {
			switch x := a.arg(0, "obj", none).(type) {
			case *funcV, *builtinV, *boundV, *classV, *typeV:
				return true, nil
			case *opaqueV:
				return x, nil
			}
			return false, nil
		}),
		"getattr": builtin("getattr", func(in *interp, a *callArgs) (value, error) {
			name, ok := a.arg(1, "name", none).(*strV)
			if !ok {
				return firstOpaqueOr(a.arg(1, "name", none), pyErrf("TypeError", "attribute name must be string"))
			}
			v, err := in.getAttr(a.n, a.arg(0, "obj", none), name.s)
			var pe *pyError
			if err != nil && len(a.pos) > 2 && errors.As(err, &pe) && pe.typ == "AttributeError" {
				return a.pos[2], nil
			}
			return v, err
		}),
		"hasattr": builtin("hasattr", func(in *interp, a *callArgs) (value, error) {
			name, ok := a.arg(1, "name", none).(*strV)
			if !ok {
				return firstOpaqueOr(a.arg(1, "name", none), pyErrf("TypeError", "attribute name must be string"))
			}
			v, err := in.getAttr(a.n, a.arg(0, "obj", none), name.s)
			if err != nil {
				var pe *pyError
				if errors.As(err, &pe) && pe.typ == "AttributeError" {
					return false, nil
				}
				return nil, err
			}
			if o, ok := v.(*opaqueV); ok {
				return o, nil
			}
			return true, nil
		}),
		"property":     funcKind("property"),
		"staticmethod": funcKind("staticmethod"),
		"classmethod":  funcKind("classmethod"),
		"print":        builtin("print", func(in *interp, a *callArgs) (value, error) { return none, nil }),
		"id": builtin("id", func(in *interp, a *callArgs) (value, error) {
			return &opaqueV{reason: "id() is not evaluated", line: a.n.Line, col: a.n.Col}, nil
		}),
	}
	for _, name := range []string{"Exception", "BaseException", "ValueError", "KeyError", "TypeError",
		"RuntimeError", "LookupError", "IndexError", "AttributeError", "NotImplementedError", "OSError", "ImportError"} {
		n := name
		b[n] = builtin(n, func(in *interp, a *callArgs) (value, error) {
			return &opaqueV{reason: n + " instance", line: a.n.Line, col: a.n.Col, harmless: true}, nil
		})
	}
	b["NotImplemented"] = &opaqueV{reason: "NotImplemented", harmless: true}
	b["__name__"] = &strV{s: "__pindrift_manifest__"}
	return b
}

// funcKind models the method decorators: the function is kept, marked so
// attribute lookup binds it the way the decorator would.
func funcKind(kind string) *builtinV {
	return builtin(kind, func(in *interp, a *callArgs) (value, error) {
		fn, ok := a.arg(0, "f", none).(*funcV)
		if !ok {
			return firstOpaqueOr(a.arg(0, "f", none), pyErrf("TypeError", "%s expects a function", kind))
		}
		marked := *fn
		marked.kind = kind
		return &marked, nil
	})
}

func setCtor(in *interp, a *callArgs) (value, error) {
	items, o, err := in.iterArg(a, 0)
	if o != nil || err != nil {
		return o, err
	}
	if err := in.chargeDict(a.n, int64(len(items))); err != nil {
		return nil, err
	}
	s := &setV{d: newDict()}
	for _, it := range items {
		if err := s.d.set(it, none, pin.Span{}); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// iterArg iterates positional argument i (an empty sequence if absent); an
// unknown iterable comes back as o.
func (in *interp) iterArg(a *callArgs, i int) ([]value, *opaqueV, error) {
	if i >= len(a.pos) {
		return nil, nil, nil
	}
	if o := firstOpaque(a.pos[i]); o != nil {
		return nil, o, nil
	}
	items, err := in.iterate(a.n, a.pos[i])
	return items, nil, err
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

func (in *interp) minMax(a *callArgs, sign int) (value, error) {
	items := a.pos
	if len(a.pos) == 1 {
		var o *opaqueV
		var err error
		if items, o, err = in.iterArg(a, 0); o != nil || err != nil {
			return o, err
		}
	}
	if len(items) == 0 {
		if d, ok := a.kw("default"); ok {
			return d, nil
		}
		return nil, pyErrf("ValueError", "min()/max() arg is an empty sequence")
	}
	key, _ := a.kw("key")
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

func (in *interp) anyAll(a *callArgs, isAny bool) (value, error) {
	items, o, err := in.iterArg(a, 0)
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

func isInstance(v, t value, depth int) (value, error) {
	if depth > maxRecursion {
		return nil, pyErrf("RecursionError", "maximum recursion depth exceeded in __instancecheck__")
	}
	switch x := t.(type) {
	case *tupleV:
		for _, it := range x.items {
			r, err := isInstance(v, it, depth+1)
			if err != nil || r != value(false) {
				return r, err
			}
		}
		return false, nil
	case *typeV:
		if o := firstOpaque(v); o != nil {
			return o, nil
		}
		name := typeName(v)
		return name == x.name || x.name == "int" && name == "bool" || x.name == "object", nil
	case *classV:
		inst, ok := v.(*instanceV)
		if !ok {
			return firstOpaqueOrFalse(v), nil
		}
		return inheritsFrom(inst.class, x), nil
	}
	if o := firstOpaque(v, t); o != nil {
		return o, nil
	}
	return false, nil
}

func firstOpaqueOrFalse(v value) value {
	if o := firstOpaque(v); o != nil {
		return o
	}
	return false
}

func inheritsFrom(c, base *classV) bool {
	return slices.Contains(c.lineage(), base)
}
