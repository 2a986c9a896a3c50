package python

import (
	"fmt"
	"math"
	"strconv"

	"github.com/pindrift/pindrift/internal/pin"
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

type setV struct{ d *dictV }

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
