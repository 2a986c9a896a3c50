package python

import (
	"fmt"
	"sort"

	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// value is a Python value as the evaluator knows it. The concrete types:
// noneType, bool, int64, float64, *strV, *listV, *tupleV, *dictV, *setV,
// *rangeV, *funcV, *classV, *instanceV, *boundV, *builtinV, *moduleV,
// *typeV, *opaqueV.
type value any

type noneType struct{}

var none = noneType{}

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
	if f, ok := v.(float64); ok {
		return f, true
	}
	i, ok := asInt(v)
	return float64(i), ok
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
