package python

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// value is a Python value as the evaluator knows it. The concrete types:
// noneType, bool, int64, float64, *strV, *listV, *tupleV, *dictV, *setV,
// *rangeV, *funcV, *classV, *instanceV, *boundV, *builtinV, *moduleV,
// *typeV, *opaqueV.
type value any

type noneType struct{}

var none = noneType{}

// strV is a str that remembers where it came from. When lit is true the
// value is exactly the text of one plain string literal at span, which is
// what makes a SHA rewritable in place.
type strV struct {
	s    string
	span pin.Span
	lit  bool
}

type listV struct{ items []value }

// tupleV is a tuple. Tuples never change, so the identity of one used as
// a dict key is computed once and kept (see hashKey).
type tupleV struct {
	items []value
	hk    *tupleKey
}

type tupleKey struct {
	key dictKey
	err error
}

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

type rangeV struct{ start, stop, step int64 }

// opaqueV is a value the evaluator cannot know: an import from another
// module, an unknown call, I/O. Every operation on it yields it again, so a
// pin that depends on it is reported as unresolved with this reason.
type opaqueV struct {
	reason string
	line   int
	col    int
	// harmless marks typing constructs (Literal[...], dict[str, X]): opaque
	// but never a sign of a missed pin.
	harmless bool
}

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

func typeName(v value) string {
	switch x := v.(type) {
	case noneType:
		return "NoneType"
	case bool:
		return "bool"
	case int64:
		return "int"
	case float64:
		return "float"
	case *strV:
		return "str"
	case *listV:
		return "list"
	case *tupleV:
		return "tuple"
	case *dictV:
		return "dict"
	case *setV:
		return "set"
	case *rangeV:
		return "range"
	case *funcV, *builtinV, *boundV:
		return "function"
	case *classV:
		return "type"
	case *instanceV:
		return x.class.name
	case *moduleV:
		return "module"
	case *typeV:
		return "type"
	case *opaqueV:
		return "unknown"
	}
	return fmt.Sprintf("%T", v)
}

// truth is Python's bool(v); ok is false for an opaque value.
func truth(v value) (b bool, ok bool) {
	switch x := v.(type) {
	case noneType:
		return false, true
	case bool:
		return x, true
	case int64:
		return x != 0, true
	case float64:
		return x != 0, true
	case *strV:
		return x.s != "", true
	case *listV:
		return len(x.items) > 0, true
	case *tupleV:
		return len(x.items) > 0, true
	case *dictV:
		return len(x.keys) > 0, true
	case *setV:
		return len(x.d.keys) > 0, true
	case *rangeV:
		return x.length() > 0, true
	case *opaqueV:
		return false, false
	}
	return true, true
}

func (r *rangeV) length() int64 {
	switch {
	case r.step > 0 && r.start < r.stop:
		return (r.stop - r.start + r.step - 1) / r.step
	case r.step < 0 && r.start > r.stop:
		return (r.start - r.stop - r.step - 1) / -r.step
	}
	return 0
}

// asFloat reports numeric values (bool, int, float) as float64.
func asFloat(v value) (float64, bool) {
	switch x := v.(type) {
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// asInt reports bool and int values as int64.
func asInt(v value) (int64, bool) {
	switch x := v.(type) {
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case int64:
		return x, true
	}
	return 0, false
}

func cmp3(less, greater bool) int {
	switch {
	case less:
		return -1
	case greater:
		return 1
	}
	return 0
}

// sortValues sorts in place with Python's ordering, charging each
// comparison to the run and reporting the first incomparable pair.
func (in *interp) sortValues(n *syntax.Node, items []value, keys []value, reverse bool) error {
	var err error
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	d := in.deep(n, "in comparison")
	sort.SliceStable(idx, func(i, j int) bool {
		if err != nil {
			return false
		}
		c, e := d.order(keys[idx[i]], keys[idx[j]], 0)
		if e != nil {
			err = e
		}
		if reverse {
			return c > 0
		}
		return c < 0
	})
	if err != nil {
		return err
	}
	out := make([]value, len(items))
	for i, j := range idx {
		out[i] = items[j]
	}
	copy(items, out)
	return nil
}

// firstOpaque returns the first opaque value among vs, if any.
func firstOpaque(vs ...value) *opaqueV {
	for _, v := range vs {
		if o, ok := v.(*opaqueV); ok {
			return o
		}
	}
	return nil
}
