package python

import (
	"strconv"
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

func selfList(a *callArgs) *listV { return a.pos[0].(*listV) }
func selfDict(a *callArgs) *dictV { return a.pos[0].(*dictV) }
func selfSet(a *callArgs) *setV   { return a.pos[0].(*setV) }

var listMethods = map[string]methodFn{
	"append": func(in *interp, a *callArgs) (value, error) {
		l := selfList(a)
		l.items = append(l.items, a.arg(1, "object", none))
		return none, in.grow(a.n, len(l.items))
	},
	"extend": func(in *interp, a *callArgs) (value, error) {
		l := selfList(a)
		v := a.arg(1, "iterable", none)
		if o := firstOpaque(v); o != nil {
			l.items = append(l.items, o)
			return none, nil
		}
		items, err := in.iterate(a.n, v)
		if err != nil {
			return nil, err
		}
		if err := in.checkSize(a.n, int64(len(l.items)+len(items))); err != nil {
			return nil, err
		}
		if err := in.chargeSeq(a.n, int64(len(items))); err != nil {
			return nil, err
		}
		l.items = append(l.items, items...)
		return none, nil
	},
	"insert": func(in *interp, a *callArgs) (value, error) {
		l := selfList(a)
		i, err := intArg(a, 0, "index", 0)
		if err != nil {
			return nil, err
		}
		n := int64(len(l.items))
		if i < 0 {
			i = max(i+n, 0)
		}
		i = min(i, n)
		if err := in.chargeSeq(a.n, n+1); err != nil {
			return nil, err
		}
		l.items = concat(concat(l.items[:i], []value{a.arg(2, "object", none)}), l.items[i:])
		return none, nil
	},
	"pop": func(in *interp, a *callArgs) (value, error) {
		l := selfList(a)
		i, err := intArg(a, 0, "index", -1)
		if err != nil {
			return nil, err
		}
		j, err := index(a.n, i, len(l.items))
		if err != nil {
			return nil, err
		}
		v := l.items[j]
		if err := in.chargeSeq(a.n, int64(len(l.items)-j)); err != nil {
			return nil, err
		}
		l.items = append(l.items[:j:j], l.items[j+1:]...)
		return v, nil
	},
	"remove": func(in *interp, a *callArgs) (value, error) {
		l := selfList(a)
		for i, it := range l.items {
			e, ok, err := in.eqElem(a.n, a.arg(1, "value", none), it)
			if err != nil {
				return nil, err
			}
			if ok && e {
				if err := in.work(a.n, int64(len(l.items)-i)); err != nil {
					return nil, err
				}
				l.items = append(l.items[:i:i], l.items[i+1:]...)
				return none, nil
			}
		}
		return nil, pyErrf("ValueError", "list.remove(x): x not in list")
	},
	"index": func(in *interp, a *callArgs) (value, error) { return in.seqIndex(selfList(a).items, a) },
	"count": func(in *interp, a *callArgs) (value, error) { return in.seqCount(selfList(a).items, a) },
	"copy": func(in *interp, a *callArgs) (value, error) {
		return &listV{items: append([]value{}, selfList(a).items...)}, in.chargeSeq(a.n, int64(len(selfList(a).items)))
	},
	"clear": func(in *interp, a *callArgs) (value, error) {
		selfList(a).items = []value{}
		return none, nil
	},
	"reverse": func(in *interp, a *callArgs) (value, error) {
		l := selfList(a)
		if err := in.work(a.n, int64(len(l.items))); err != nil {
			return nil, err
		}
		for i, j := 0, len(l.items)-1; i < j; i, j = i+1, j-1 {
			l.items[i], l.items[j] = l.items[j], l.items[i]
		}
		return none, nil
	},
	"sort": func(in *interp, a *callArgs) (value, error) {
		l := selfList(a)
		key, _ := a.kw("key")
		rev, _ := a.kw("reverse")
		sorted, err := in.sorted(a.n, l.items, key, rev)
		if err != nil {
			return nil, err
		}
		if o, ok := sorted.(*opaqueV); ok {
			return o, nil
		}
		l.items = sorted.(*listV).items
		return none, nil
	},
}

var tupleMethods = map[string]methodFn{
	"index": func(in *interp, a *callArgs) (value, error) { return in.seqIndex(a.pos[0].(*tupleV).items, a) },
	"count": func(in *interp, a *callArgs) (value, error) { return in.seqCount(a.pos[0].(*tupleV).items, a) },
}

func (in *interp) seqIndex(items []value, a *callArgs) (value, error) {
	needle := a.arg(1, "value", none)
	for i, it := range items {
		e, ok, err := in.eqElem(a.n, needle, it)
		if err != nil {
			return nil, err
		}
		if ok && e {
			return int64(i), nil
		}
	}
	return nil, pyErrf("ValueError", "%s is not in list", pyRepr(needle))
}

func (in *interp) seqCount(items []value, a *callArgs) (value, error) {
	needle := a.arg(1, "value", none)
	n := int64(0)
	for _, it := range items {
		e, ok, err := in.eqElem(a.n, needle, it)
		if err != nil {
			return nil, err
		}
		if ok && e {
			n++
		}
	}
	return n, nil
}

var dictMethods = map[string]methodFn{
	"get": func(in *interp, a *callArgs) (value, error) {
		k := a.arg(1, "key", none)
		def := a.arg(2, "default", none)
		if o := firstOpaque(k); o != nil {
			return o, nil
		}
		if err := in.work(a.n, keyUnits(k)); err != nil {
			return nil, err
		}
		v, found, err := selfDict(a).get(k)
		if err != nil {
			return nil, err
		}
		if !found {
			return def, nil
		}
		return v, nil
	},
	"items": func(in *interp, a *callArgs) (value, error) {
		d := selfDict(a)
		if err := in.chargeSeq(a.n, int64(len(d.keys))); err != nil {
			return nil, err
		}
		if err := in.alloc(a.n, int64(len(d.keys))*objBytes); err != nil {
			return nil, err
		}
		out := make([]value, len(d.keys))
		for i, k := range d.keys {
			out[i] = &tupleV{items: []value{k, d.vals[i]}}
		}
		return &listV{items: out}, nil
	},
	"keys": func(in *interp, a *callArgs) (value, error) {
		return &listV{items: append([]value{}, selfDict(a).keys...)}, in.chargeSeq(a.n, int64(len(selfDict(a).keys)))
	},
	"values": func(in *interp, a *callArgs) (value, error) {
		return &listV{items: append([]value{}, selfDict(a).vals...)}, in.chargeSeq(a.n, int64(len(selfDict(a).vals)))
	},
	"copy": func(in *interp, a *callArgs) (value, error) {
		return selfDict(a).copy(), in.chargeDict(a.n, int64(len(selfDict(a).keys)))
	},
	"clear": func(in *interp, a *callArgs) (value, error) {
		*selfDict(a) = *newDict()
		return none, nil
	},
	"update": func(in *interp, a *callArgs) (value, error) {
		d := selfDict(a)
		if len(a.pos) > 1 {
			if err := in.updateFrom(a.n, d, a.pos[1]); err != nil {
				return nil, err
			}
		}
		if err := in.chargeDict(a.n, int64(len(a.kwNames))); err != nil {
			return nil, err
		}
		for i, k := range a.kwNames {
			if err := d.set(&strV{s: k}, a.kwVals[i], a.kwSpans[i]); err != nil {
				return nil, err
			}
		}
		return none, nil
	},
	"setdefault": func(in *interp, a *callArgs) (value, error) {
		d := selfDict(a)
		k := a.arg(1, "key", none)
		if err := in.setEntry(a.n, d, k); err != nil {
			return nil, err
		}
		v, found, err := d.get(k)
		if err != nil || found {
			return v, err
		}
		def := a.arg(2, "default", none)
		return def, d.set(k, def, pin.Span{})
	},
	"pop": func(in *interp, a *callArgs) (value, error) {
		v, found, err := selfDict(a).del(a.arg(1, "key", none))
		if err != nil {
			return nil, err
		}
		if !found {
			if len(a.pos) > 2 {
				return a.pos[2], nil
			}
			return nil, pyErrf("KeyError", "%s", pyRepr(a.arg(1, "key", none)))
		}
		return v, nil
	},
}

// updateFrom adds a mapping's entries, or key/value pairs, to d.
func (in *interp) updateFrom(n *syntax.Node, d *dictV, src value) error {
	switch s := src.(type) {
	case *dictV, *opaqueV:
		return in.mergeInto(n, d, s)
	case *instanceV:
		if s.class.record {
			return in.mergeInto(n, d, s)
		}
	}
	pairs, err := in.iterate(n, src)
	if err != nil {
		return err
	}
	if err := in.chargeDict(n, int64(len(pairs))); err != nil {
		return err
	}
	for _, p := range pairs {
		kv, err := in.iterate(n, p)
		if err != nil {
			return err
		}
		if len(kv) != 2 {
			return pyErrf("ValueError", "dictionary update sequence element has length %d; 2 is required", len(kv))
		}
		if err := d.set(kv[0], kv[1], pin.Span{}); err != nil {
			return err
		}
	}
	return nil
}

var setMethods = map[string]methodFn{
	"add": func(in *interp, a *callArgs) (value, error) {
		if err := in.setEntry(a.n, selfSet(a).d, a.arg(1, "elem", none)); err != nil {
			return nil, err
		}
		return none, selfSet(a).d.set(a.arg(1, "elem", none), none, pin.Span{})
	},
	"discard": func(in *interp, a *callArgs) (value, error) {
		_, _, err := selfSet(a).d.del(a.arg(1, "elem", none))
		return none, err
	},
	"remove": func(in *interp, a *callArgs) (value, error) {
		_, found, err := selfSet(a).d.del(a.arg(1, "elem", none))
		if err == nil && !found {
			err = pyErrf("KeyError", "%s", pyRepr(a.arg(1, "elem", none)))
		}
		return none, err
	},
	"update": func(in *interp, a *callArgs) (value, error) {
		s := selfSet(a)
		for _, other := range a.pos[1:] {
			items, err := in.iterate(a.n, other)
			if err != nil {
				return nil, err
			}
			if err := in.chargeDict(a.n, int64(len(items))); err != nil {
				return nil, err
			}
			for _, it := range items {
				if err := s.d.set(it, none, pin.Span{}); err != nil {
					return nil, err
				}
			}
		}
		return none, nil
	},
	"copy": func(in *interp, a *callArgs) (value, error) {
		return &setV{d: selfSet(a).d.copy()}, in.chargeDict(a.n, int64(len(selfSet(a).d.keys)))
	},
	"union":        setMethod("|"),
	"intersection": setMethod("&"),
	"difference":   setMethod("-"),
}

func setMethod(op string) methodFn {
	return func(in *interp, a *callArgs) (value, error) {
		out := selfSet(a)
		for _, other := range a.pos[1:] {
			items, err := in.iterate(a.n, other)
			if err != nil {
				return nil, err
			}
			if err := in.chargeDict(a.n, int64(len(items)+len(out.d.keys))); err != nil {
				return nil, err
			}
			o := &setV{d: newDict()}
			for _, it := range items {
				if err := o.d.set(it, none, pin.Span{}); err != nil {
					return nil, err
				}
			}
			r, err := setOp(a.n, op, out, o)
			if err != nil {
				return nil, err
			}
			out = r.(*setV)
		}
		if out == selfSet(a) {
			return &setV{d: out.d.copy()}, nil
		}
		return out, nil
	}
}

// strFormat is str.format: {}, {0}, {name}, {name.attr}, {name[key]},
// conversions and format specs (which may nest fields).
func (in *interp) strFormat(format string, a *callArgs) (string, error) {
	// CPython allows one level of fields nested in a format spec.
	in.fmtDepth++
	defer func() { in.fmtDepth-- }()
	if in.fmtDepth > 2 {
		return "", pyErrf("ValueError", "Max string recursion exceeded")
	}
	if err := in.work(a.n, int64(len(format))); err != nil {
		return "", err
	}
	args := a.pos[1:]
	auto := 0
	var b strings.Builder
	var field func(spec string) (value, error)
	field = func(name string) (value, error) {
		first, rest := name, ""
		if i := strings.IndexAny(name, ".["); i >= 0 {
			first, rest = name[:i], name[i:]
		}
		var v value
		switch {
		case first == "":
			if auto >= len(args) {
				return nil, pyErrf("IndexError", "Replacement index %d out of range for positional args tuple", auto)
			}
			v = args[auto]
			auto++
		case isDigits(first):
			i, _ := strconv.Atoi(first)
			if i >= len(args) {
				return nil, pyErrf("IndexError", "Replacement index %d out of range for positional args tuple", i)
			}
			v = args[i]
		default:
			kv, ok := a.kw(first)
			if !ok {
				return nil, pyErrf("KeyError", "'%s'", first)
			}
			v = kv
		}
		for rest != "" {
			if rest[0] == '.' {
				end := strings.IndexAny(rest[1:], ".[")
				if end < 0 {
					end = len(rest) - 1
				}
				attr := rest[1 : end+1]
				var err error
				if v, err = in.getAttr(a.n, v, attr); err != nil {
					return nil, err
				}
				rest = rest[end+1:]
				continue
			}
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, pyErrf("ValueError", "Missing ']' in format string")
			}
			key := rest[1:end]
			var kv value = &strV{s: key}
			if isDigits(key) {
				n, _ := strconv.ParseInt(key, 10, 64)
				kv = n
			}
			var err error
			if v, err = in.getItem(a.n, v, kv); err != nil {
				return nil, err
			}
			rest = rest[end+1:]
		}
		return v, nil
	}
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c == '}' {
			if i+1 < len(format) && format[i+1] == '}' {
				i++
			}
			b.WriteByte('}')
			continue
		}
		if c != '{' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(format) && format[i+1] == '{' {
			b.WriteByte('{')
			i++
			continue
		}
		// Find the matching close brace, allowing one level of nesting in
		// the spec.
		depth, j := 1, i+1
		for ; j < len(format) && depth > 0; j++ {
			switch format[j] {
			case '{':
				depth++
			case '}':
				depth--
			}
		}
		if depth != 0 {
			return "", pyErrf("ValueError", "expected '}' before end of string")
		}
		inner := format[i+1 : j-1]
		i = j - 1
		name, spec, _ := strings.Cut(inner, ":")
		name, conv, _ := strings.Cut(name, "!")
		v, err := field(name)
		if err != nil {
			return "", err
		}
		if o := firstOpaque(v); o != nil {
			return "", &opaqueFlow{o}
		}
		switch conv {
		case "r", "a":
			s, err := in.repr(a.n, v)
			if err != nil {
				return "", err
			}
			v = &strV{s: s}
		case "s":
			s, err := in.str(a.n, v)
			if err != nil {
				return "", err
			}
			v = &strV{s: s}
		}
		if strings.Contains(spec, "{") {
			sub := *a
			sub.pos = append([]value{&strV{s: spec}}, args[auto:]...)
			spec, err = in.strFormat(spec, &sub)
			if err != nil {
				return "", err
			}
		}
		s, err := in.formatValue(a.n, v, spec)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
		if err := in.checkSize(a.n, int64(b.Len())); err != nil {
			return "", err
		}
	}
	return b.String(), in.alloc(a.n, int64(b.Len()))
}
