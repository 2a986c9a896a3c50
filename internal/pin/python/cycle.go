package python

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// Operations that follow nested values (==, <, in, .index, .count, repr,
// str) go through a deep: it charges one unit of work per value visited to
// the run, bounds the nesting it follows by maxRecursion, and recognises
// cycles the way CPython does. CPython compares container elements with
// an identity shortcut (an element is equal to itself), so a list that
// contains itself equals itself, but two distinct self-containing lists
// recurse until RecursionError; repr prints a container already being
// printed as [...], {...} or (...).
type deep struct {
	in *interp      // nil outside a run: a fixed allowance of work applies
	n  *syntax.Node // where the work is charged
	// units counts the work of a deep without a run.
	units int64
	// onPath holds the containers repr is inside of.
	onPath map[any]bool
	// what names the operation in a RecursionError.
	what string
}

// standaloneUnits and standaloneBytes bound the work and the output of a
// deep without a run (repr in an error message or a pin's path): past
// them the result is cut short.
const (
	standaloneUnits = 1 << 16
	standaloneBytes = 4 << 10
)

var errStandaloneWork = pyErrf("MemoryError", "value too large to show")

func (in *interp) deep(n *syntax.Node, what string) *deep { return &deep{in: in, n: n, what: what} }

// tick charges one value visited at the given nesting.
func (d *deep) tick(depth int) error {
	if depth > maxRecursion {
		return pyErrf("RecursionError", "maximum recursion depth exceeded %s", d.what)
	}
	if d.in != nil {
		return d.in.work(d.n, visitUnits)
	}
	d.units++
	if d.units > standaloneUnits {
		return errStandaloneWork
	}
	return nil
}

// sameObject is CPython's identity shortcut for containers and records.
func sameObject(a, b value) bool {
	switch x := a.(type) {
	case *listV, *dictV, *setV, *tupleV, *instanceV:
		return a == b
	case *strV:
		y, ok := b.(*strV)
		return ok && x == y
	}
	return false
}

// eqElem compares two elements of containers: identical objects are equal
// without looking inside, as PyObject_RichCompareBool does.
func (d *deep) eqElem(a, b value, depth int) (bool, bool, error) {
	if sameObject(a, b) {
		return true, true, nil
	}
	return d.eq(a, b, depth)
}

// eq is Python's a == b; ok is false when an opaque value decides it.
func (d *deep) eq(a, b value, depth int) (eq, ok bool, err error) {
	if err := d.tick(depth); err != nil {
		return false, false, err
	}
	if _, isOp := a.(*opaqueV); isOp {
		return false, false, nil
	}
	if _, isOp := b.(*opaqueV); isOp {
		return false, false, nil
	}
	if fa, okA := asFloat(a); okA {
		if fb, okB := asFloat(b); okB {
			return fa == fb, true, nil
		}
		return false, true, nil
	}
	switch x := a.(type) {
	case noneType:
		_, isNone := b.(noneType)
		return isNone, true, nil
	case *strV:
		y, isStr := b.(*strV)
		if !isStr {
			return false, true, nil
		}
		if d.in != nil && len(x.s) == len(y.s) {
			if err := d.in.work(d.n, int64(len(x.s))); err != nil {
				return false, false, err
			}
		}
		return x.s == y.s, true, nil
	case *listV:
		y, isList := b.(*listV)
		if !isList {
			return false, true, nil
		}
		return d.seqEq(x.items, y.items, depth)
	case *tupleV:
		y, isTuple := b.(*tupleV)
		if !isTuple {
			return false, true, nil
		}
		return d.seqEq(x.items, y.items, depth)
	case *dictV:
		y, isDict := b.(*dictV)
		if !isDict || len(x.keys) != len(y.keys) {
			return false, true, nil
		}
		for i, k := range x.keys {
			if err := d.tick(depth + 1); err != nil {
				return false, false, err
			}
			yv, found, err := y.get(k)
			if err != nil || !found {
				return false, true, nil
			}
			if e, ok, err := d.eqElem(x.vals[i], yv, depth+1); err != nil || !ok || !e {
				return e, ok, err
			}
		}
		return true, true, nil
	case *setV:
		y, isSet := b.(*setV)
		if !isSet || len(x.d.keys) != len(y.d.keys) {
			return false, true, nil
		}
		for _, k := range x.d.keys {
			if err := d.tick(depth + 1); err != nil {
				return false, false, err
			}
			if _, found, _ := y.d.get(k); !found {
				return false, true, nil
			}
		}
		return true, true, nil
	case *instanceV:
		y, isInst := b.(*instanceV)
		if !isInst || x.class != y.class {
			return false, true, nil
		}
		if !x.class.record {
			return x == y, true, nil
		}
		return d.eq(x.attrs, y.attrs, depth+1)
	}
	return a == b, true, nil
}

func (d *deep) seqEq(a, b []value, depth int) (bool, bool, error) {
	if len(a) != len(b) {
		return false, true, nil
	}
	for i := range a {
		if e, ok, err := d.eqElem(a[i], b[i], depth+1); err != nil || !ok || !e {
			return e, ok, err
		}
	}
	return true, true, nil
}

// order is Python's a < b as -1/0/1 for orderable pairs.
func (d *deep) order(a, b value, depth int) (int, error) {
	if err := d.tick(depth); err != nil {
		return 0, err
	}
	if ia, ok := asInt(a); ok {
		if ib, ok := asInt(b); ok {
			return cmp3(ia < ib, ia > ib), nil
		}
	}
	if fa, ok := asFloat(a); ok {
		if fb, ok := asFloat(b); ok {
			return cmp3(fa < fb, fa > fb), nil
		}
	}
	switch x := a.(type) {
	case *strV:
		if y, ok := b.(*strV); ok {
			if d.in != nil {
				if err := d.in.work(d.n, int64(min(len(x.s), len(y.s)))); err != nil {
					return 0, err
				}
			}
			return strings.Compare(x.s, y.s), nil
		}
	case *tupleV:
		if y, ok := b.(*tupleV); ok {
			return d.orderSeq(x.items, y.items, depth)
		}
	case *listV:
		if y, ok := b.(*listV); ok {
			return d.orderSeq(x.items, y.items, depth)
		}
	}
	return 0, pyErrf("TypeError", "'<' not supported between instances of '%s' and '%s'", typeName(a), typeName(b))
}

// orderSeq compares sequences as CPython does: the first pair of elements
// that differ (identity counts as equal) decides, else the lengths.
func (d *deep) orderSeq(a, b []value, depth int) (int, error) {
	for i := 0; i < len(a) && i < len(b); i++ {
		e, ok, err := d.eqElem(a[i], b[i], depth+1)
		if err != nil {
			return 0, err
		}
		if ok && e {
			continue
		}
		return d.order(a[i], b[i], depth+1)
	}
	return cmp3(len(a) < len(b), len(a) > len(b)), nil
}

// repr writes Python's repr(v); str writes str(v).
func (d *deep) str(b *strings.Builder, v value, depth int) error {
	switch x := v.(type) {
	case *strV:
		return d.write(b, x.s)
	case *instanceV:
		if x.class.isEnum {
			return d.write(b, x.class.name+"."+x.enumName)
		}
	}
	return d.repr(b, v, depth)
}

// write appends s, charging its bytes and keeping the result within the
// cap on one value.
func (d *deep) write(b *strings.Builder, s string) error {
	if d.in == nil && b.Len()+len(s) > standaloneBytes {
		b.WriteString(s[:max(0, min(len(s), standaloneBytes-b.Len()))])
		return errStandaloneWork
	}
	if b.Len()+len(s) > maxValueSize {
		return d.in.checkSize(d.n, int64(b.Len()+len(s)))
	}
	if d.in != nil {
		if err := d.in.work(d.n, int64(len(s))); err != nil {
			return err
		}
	}
	b.WriteString(s)
	return nil
}

// enter marks a container as being printed; a second visit is a cycle.
func (d *deep) enter(c any) bool {
	if d.onPath == nil {
		d.onPath = map[any]bool{}
	}
	if d.onPath[c] {
		return false
	}
	d.onPath[c] = true
	return true
}

func (d *deep) repr(b *strings.Builder, v value, depth int) error {
	if err := d.tick(depth); err != nil {
		return err
	}
	switch x := v.(type) {
	case noneType:
		return d.write(b, "None")
	case bool:
		if x {
			return d.write(b, "True")
		}
		return d.write(b, "False")
	case int64:
		return d.write(b, strconv.FormatInt(x, 10))
	case float64:
		return d.write(b, floatRepr(x))
	case *strV:
		if d.in != nil {
			// Quoting copies the text; charge it before doing so.
			if err := d.in.checkSize(d.n, int64(b.Len()+len(x.s))); err != nil {
				return err
			}
		} else if b.Len()+len(x.s) > standaloneBytes {
			// Quote only what can be shown.
			return d.write(b, quoteStr(x.s[:max(0, standaloneBytes-b.Len())]))
		}
		return d.write(b, quoteStr(x.s))
	case *listV:
		return d.seq(b, x, "[", "]", x.items, depth, false)
	case *tupleV:
		return d.seq(b, x, "(", ")", x.items, depth, len(x.items) == 1)
	case *setV:
		if len(x.d.keys) == 0 {
			return d.write(b, "set()")
		}
		return d.seq(b, x, "{", "}", x.d.keys, depth, false)
	case *dictV:
		if !d.enter(x) {
			return d.write(b, "{...}")
		}
		defer delete(d.onPath, x)
		if err := d.write(b, "{"); err != nil {
			return err
		}
		for i, k := range x.keys {
			if i > 0 {
				if err := d.write(b, ", "); err != nil {
					return err
				}
			}
			if err := d.repr(b, k, depth+1); err != nil {
				return err
			}
			if err := d.write(b, ": "); err != nil {
				return err
			}
			if err := d.repr(b, x.vals[i], depth+1); err != nil {
				return err
			}
		}
		return d.write(b, "}")
	case *rangeV:
		s := "range(" + strconv.FormatInt(x.start, 10) + ", " + strconv.FormatInt(x.stop, 10)
		if x.step != 1 {
			s += ", " + strconv.FormatInt(x.step, 10)
		}
		return d.write(b, s+")")
	case *instanceV:
		if x.class.isEnum {
			return d.write(b, "<"+x.class.name+"."+x.enumName+">")
		}
		if !d.enter(x) {
			// reprlib.recursive_repr, which dataclasses use.
			return d.write(b, "...")
		}
		defer delete(d.onPath, x)
		if err := d.write(b, x.class.name+"("); err != nil {
			return err
		}
		for i, k := range x.attrs.keys {
			if i > 0 {
				if err := d.write(b, ", "); err != nil {
					return err
				}
			}
			if err := d.str(b, k, depth+1); err != nil {
				return err
			}
			if err := d.write(b, "="); err != nil {
				return err
			}
			if err := d.repr(b, x.attrs.vals[i], depth+1); err != nil {
				return err
			}
		}
		return d.write(b, ")")
	case *classV:
		return d.write(b, "<class '"+x.name+"'>")
	case *funcV:
		return d.write(b, "<function "+x.name+">")
	case *opaqueV:
		return d.write(b, "<unknown>")
	}
	return d.write(b, "<"+typeName(v)+">")
}

func (d *deep) seq(b *strings.Builder, c any, open, close string, items []value, depth int, trailingComma bool) error {
	if !d.enter(c) {
		return d.write(b, open+"..."+close)
	}
	defer delete(d.onPath, c)
	if err := d.write(b, open); err != nil {
		return err
	}
	for i, it := range items {
		if i > 0 {
			if err := d.write(b, ", "); err != nil {
				return err
			}
		}
		if err := d.repr(b, it, depth+1); err != nil {
			return err
		}
	}
	if trailingComma {
		if err := d.write(b, ","); err != nil {
			return err
		}
	}
	return d.write(b, close)
}

// repr is repr(v) within the run's budgets.
func (in *interp) repr(n *syntax.Node, v value) (string, error) {
	var b strings.Builder
	d := in.deep(n, "while getting the repr of an object")
	if err := d.repr(&b, v, 0); err != nil {
		return "", err
	}
	return b.String(), in.alloc(n, int64(b.Len()))
}

// str is str(v) within the run's budgets.
func (in *interp) str(n *syntax.Node, v value) (string, error) {
	if s, ok := v.(*strV); ok {
		return s.s, nil
	}
	var b strings.Builder
	d := in.deep(n, "while getting the str of an object")
	if err := d.str(&b, v, 0); err != nil {
		return "", err
	}
	return b.String(), in.alloc(n, int64(b.Len()))
}

// eq is a == b within the run's budgets.
func (in *interp) eq(n *syntax.Node, a, b value) (eq, ok bool, err error) {
	return in.deep(n, "in comparison").eq(a, b, 0)
}

// eqElem is a == b for a needle and a container element (in, .index,
// .count, .remove): an element identical to the needle matches.
func (in *interp) eqElem(n *syntax.Node, a, b value) (eq, ok bool, err error) {
	return in.deep(n, "in comparison").eqElem(a, b, 0)
}

// order is a < b within the run's budgets.
func (in *interp) order(n *syntax.Node, a, b value) (int, error) {
	return in.deep(n, "in comparison").order(a, b, 0)
}

// pyRepr is repr(v) outside a run's accounting, for messages and paths:
// a value too large or too deep to show is cut short.
func pyRepr(v value) string {
	var b strings.Builder
	d := &deep{what: "while getting the repr of an object"}
	if err := d.repr(&b, v, 0); err != nil {
		return b.String() + "…"
	}
	return b.String()
}

// pyStr is str(v) outside a run's accounting; see pyRepr.
func pyStr(v value) string {
	if s, ok := v.(*strV); ok {
		return s.s
	}
	var b strings.Builder
	d := &deep{what: "while getting the str of an object"}
	if err := d.str(&b, v, 0); err != nil {
		return b.String() + "…"
	}
	return b.String()
}

// equal is a == b outside a run's accounting (within the fixed
// allowance); an operation too large to finish counts as unknown.
func equal(a, b value) (eq bool, ok bool) {
	e, ok, err := (&deep{what: "in comparison"}).eq(a, b, 0)
	if err != nil {
		return false, false
	}
	return e, ok
}

// hashTuple gives a tuple's identity as a dict key: a digest of its
// elements' identities, so that a key costs the same to look up however
// large the tuple. Each tuple is hashed once (the result is kept), and
// nested tuples are hashed bottom-up with an explicit stack, so neither
// deep nesting nor shared sub-tuples (t = (t, t), sixty times over) can
// make hashing recurse deeply or repeat work.
func hashTuple(t *tupleV) (dictKey, error) {
	if t.hk != nil {
		return t.hk.key, t.hk.err
	}
	stack := []*tupleV{t}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		if top.hk != nil {
			stack = stack[:len(stack)-1]
			continue
		}
		pending := false
		for _, it := range top.items {
			if sub, ok := it.(*tupleV); ok && sub.hk == nil {
				stack = append(stack, sub)
				pending = true
			}
		}
		if pending {
			continue
		}
		stack = stack[:len(stack)-1]
		top.hk = digestTuple(top)
	}
	return t.hk.key, t.hk.err
}

// digestTuple hashes a tuple whose sub-tuples are already hashed.
func digestTuple(t *tupleV) *tupleKey {
	h := sha256.New()
	var buf [17]byte
	for _, it := range t.items {
		k, err := hashKey(it)
		if err != nil {
			return &tupleKey{err: err}
		}
		buf[0] = k.tag
		binary.LittleEndian.PutUint64(buf[1:9], uint64(k.n))
		binary.LittleEndian.PutUint64(buf[9:17], uint64(len(k.s)))
		h.Write(buf[:])
		h.Write([]byte(k.s))
	}
	return &tupleKey{key: dictKey{tag: 't', s: string(h.Sum(nil))}}
}
