package python

import (
	"fmt"
	"math"
	"strconv"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// dictV is an insertion-ordered dict. Small dicts (records, rows) are
// searched linearly; the index map is built once one grows past
// smallDict entries.
type dictV struct {
	keys  []value
	hkeys []dictKey // identity of each key, in order
	vals  []value
	spans []pin.Span // span of the expression each value was written as, if known
	index map[dictKey]int
}

const smallDict = 8

func newDict() *dictV { return &dictV{} }

func (d *dictV) find(h dictKey) (int, bool) {
	if d.index != nil {
		i, ok := d.index[h]
		return i, ok
	}
	for i := range d.hkeys {
		if d.hkeys[i] == h {
			return i, true
		}
	}
	return 0, false
}

func (d *dictV) reindex() {
	d.index = nil
	if len(d.hkeys) <= smallDict {
		return
	}
	d.index = make(map[dictKey]int, len(d.hkeys))
	for i, h := range d.hkeys {
		d.index[h] = i
	}
}

func (d *dictV) get(k value) (value, bool, error) {
	h, err := hashKey(k)
	if err != nil {
		return nil, false, err
	}
	i, ok := d.find(h)
	if !ok {
		return nil, false, nil
	}
	return d.vals[i], true, nil
}

func (d *dictV) set(k, v value, sp pin.Span) error {
	h, err := hashKey(k)
	if err != nil {
		return err
	}
	if i, ok := d.find(h); ok {
		d.vals[i] = v
		d.spans[i] = sp
		return nil
	}
	d.keys = append(d.keys, k)
	d.hkeys = append(d.hkeys, h)
	d.vals = append(d.vals, v)
	d.spans = append(d.spans, sp)
	if d.index != nil {
		d.index[h] = len(d.keys) - 1
	} else if len(d.hkeys) > smallDict {
		d.reindex()
	}
	return nil
}

func (d *dictV) del(k value) (value, bool, error) {
	h, err := hashKey(k)
	if err != nil {
		return nil, false, err
	}
	i, ok := d.find(h)
	if !ok {
		return nil, false, nil
	}
	v := d.vals[i]
	d.keys = append(d.keys[:i:i], d.keys[i+1:]...)
	d.hkeys = append(d.hkeys[:i:i], d.hkeys[i+1:]...)
	d.vals = append(d.vals[:i:i], d.vals[i+1:]...)
	d.spans = append(d.spans[:i:i], d.spans[i+1:]...)
	d.reindex()
	return v, true, nil
}

func (d *dictV) copy() *dictV {
	out := &dictV{
		keys:  append([]value(nil), d.keys...),
		hkeys: append([]dictKey(nil), d.hkeys...),
		vals:  append([]value(nil), d.vals...),
		spans: append([]pin.Span(nil), d.spans...),
	}
	out.reindex()
	return out
}

// dictKey is the identity of a dict key or set member. Strings and
// integers, nearly every key a manifest uses, need no allocation.
type dictKey struct {
	tag byte // 's' str, 'i' int (and bool, integral float), 'f' float, 'n' None, 't' tuple, 'p' identity
	n   int64
	s   string
}

// hashKey gives the identity of a dict key or set member. Equal Python
// values (1, 1.0 and True) share a key, as they do in CPython.
func hashKey(v value) (dictKey, error) {
	switch x := v.(type) {
	case noneType:
		return dictKey{tag: 'n'}, nil
	case bool:
		if x {
			return dictKey{tag: 'i', n: 1}, nil
		}
		return dictKey{tag: 'i'}, nil
	case int64:
		return dictKey{tag: 'i', n: x}, nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<62 {
			return dictKey{tag: 'i', n: int64(x)}, nil
		}
		return dictKey{tag: 'f', s: strconv.FormatFloat(x, 'g', -1, 64)}, nil
	case *strV:
		return dictKey{tag: 's', s: x.s}, nil
	case *tupleV:
		return hashTuple(x)
	case *listV, *dictV, *setV:
		return dictKey{}, pyErrf("TypeError", "unhashable type: '%s'", typeName(v))
	default:
		// Functions, classes, records, modules and opaque values hash by
		// identity, as objects without __eq__ do.
		return dictKey{tag: 'p', s: fmt.Sprintf("%p", v)}, nil
	}
}

// getStr looks up a string key without building a value for it.
func (d *dictV) getStr(k string) (value, bool) {
	i, ok := d.find(dictKey{tag: 's', s: k})
	if !ok {
		return nil, false
	}
	return d.vals[i], true
}

type tupleKey struct {
	key dictKey
	err error
}

func selfDict(a *callArgs) *dictV { return a.pos[0].(*dictV) }

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
