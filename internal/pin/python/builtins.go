package python

import (
	"math"
	"strconv"
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
)

func builtin(name string, fn methodFn) *builtinV { return &builtinV{name: name, fn: fn} }

// builtinTable lists the builtin functions and types by name. Nothing here
// can reach the file system, the network or another process: open, exec,
// eval, __import__ and friends are simply not defined, so using them is a
// NameError. A builtin whose result does not depend on its arguments
// (print, id, type, the exception types) does not unpack them.
var builtinTable = []struct {
	name   string
	fn     methodFn
	isType bool // a type: callable as a constructor, subscriptable in annotations
}{
	{"str", builtinStr, true},
	{"int", builtinInt, true},
	{"float", builtinFloat, true},
	{"bool", builtinBool, true},
	{"list", builtinList, true},
	{"tuple", builtinTuple, true},
	{"set", builtinSet, true},
	{"frozenset", builtinSet, true},
	{"dict", builtinDict, true},
	{"object", builtinObject, true},
	{"bytes", builtinBytes, true},
	{"type", builtinType, true},
	{"len", builtinLen, false},
	{"range", builtinRange, false},
	{"enumerate", builtinEnumerate, false},
	{"zip", builtinZip, false},
	{"reversed", builtinReversed, false},
	{"sorted", builtinSorted, false},
	{"min", builtinMin, false},
	{"max", builtinMax, false},
	{"sum", builtinSum, false},
	{"any", builtinAny, false},
	{"all", builtinAll, false},
	{"map", builtinMap, false},
	{"filter", builtinFilter, false},
	{"isinstance", builtinIsinstance, false},
	{"repr", builtinRepr, false},
	{"format", builtinFormat, false},
	{"abs", builtinAbs, false},
	{"round", builtinRound, false},
	{"ord", builtinOrd, false},
	{"chr", builtinChr, false},
	{"hex", builtinHex, false},
	{"callable", builtinCallable, false},
	{"getattr", builtinGetattr, false},
	{"hasattr", builtinHasattr, false},
	{"property", builtinProperty, false},
	{"staticmethod", builtinStaticmethod, false},
	{"classmethod", builtinClassmethod, false},
	{"print", builtinPrint, false},
	{"id", builtinID, false},
}

// exceptionTypes are the exceptions code may raise or catch by name; a
// call makes an instance the evaluator does not model.
var exceptionTypes = []string{"Exception", "BaseException", "ValueError", "KeyError", "TypeError",
	"RuntimeError", "LookupError", "IndexError", "AttributeError", "NotImplementedError", "OSError", "ImportError"}

// newBuiltins returns the builtins namespace of one evaluation.
func newBuiltins() map[string]value {
	b := make(map[string]value, len(builtinTable)+len(exceptionTypes)+2)
	for _, e := range builtinTable {
		if e.isType {
			b[e.name] = &typeV{name: e.name, ctor: builtin(e.name, e.fn)}
		} else {
			b[e.name] = builtin(e.name, e.fn)
		}
	}
	for _, name := range exceptionTypes {
		b[name] = builtin(name, func(in *interp, a *callArgs) (value, error) {
			return &opaqueV{reason: name + " instance", line: a.n.Line, col: a.n.Col, harmless: true}, nil
		})
	}
	b["NotImplemented"] = &opaqueV{reason: "NotImplemented", harmless: true}
	b["__name__"] = &strV{s: "__pindrift_manifest__"}
	return b
}

func builtinStr(in *interp, a *callArgs) (value, error) {
	var obj, encoding, errs value
	if err := unpackArgs("str", a, "object?", &obj, "encoding?", &encoding, "errors?", &errs); err != nil {
		return nil, err
	}
	if obj == nil {
		return &strV{span: spanOf(a.n)}, nil
	}
	if o := firstOpaque(obj); o != nil {
		return o, nil
	}
	if s, ok := obj.(*strV); ok {
		return s, nil
	}
	s, err := in.str(a.n, obj)
	return &strV{s: s, span: spanOf(a.n)}, err
}

func builtinInt(in *interp, a *callArgs) (value, error) {
	var v, baseArg value = int64(0), nil
	if err := unpackArgs("int", a, "x?", &v, "base?", &baseArg); err != nil {
		return nil, err
	}
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
		base, err := intValue(baseArg, "base", 10)
		if err != nil {
			return nil, err
		}
		return parseIntBase(x, base)
	}
	return nil, pyErrf("TypeError", "int() argument must be a string or a number, not '%s'", typeName(v))
}

// parseIntBase is int(s, base).
func parseIntBase(x *strV, base int64) (value, error) {
	t := strings.TrimSpace(x.s)
	if base == 16 || base == 8 || base == 2 {
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
	// Go's base 0 reads the same 0x/0o/0b prefixes and underscores as
	// Python's; other bases need the underscores removed.
	if base != 0 {
		t = strings.ReplaceAll(t, "_", "")
	}
	i, err := strconv.ParseInt(t, int(base), 64)
	if err != nil {
		return nil, pyErrf("ValueError", "invalid literal for int() with base %d: %s", base, pyRepr(x))
	}
	return i, nil
}

func builtinFloat(in *interp, a *callArgs) (value, error) {
	var v value = 0.0
	if err := unpackArgs("float", a, "x?", &v); err != nil {
		return nil, err
	}
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
}

func builtinBool(in *interp, a *callArgs) (value, error) {
	var v value = false
	if err := unpackArgs("bool", a, "x?", &v); err != nil {
		return nil, err
	}
	b, ok := truth(v)
	if !ok {
		return v, nil
	}
	return b, nil
}

func builtinList(in *interp, a *callArgs) (value, error) {
	items, o, err := in.iterableArg("list", "iterable?", a)
	if o != nil || err != nil {
		return o, err
	}
	return &listV{items: append([]value{}, items...)}, in.chargeSeq(a.n, int64(len(items)))
}

func builtinTuple(in *interp, a *callArgs) (value, error) {
	items, o, err := in.iterableArg("tuple", "iterable?", a)
	if o != nil || err != nil {
		return o, err
	}
	return &tupleV{items: append([]value{}, items...)}, in.chargeSeq(a.n, int64(len(items)))
}

// builtinSet is set and frozenset.
func builtinSet(in *interp, a *callArgs) (value, error) {
	items, o, err := in.iterableArg("set", "iterable?", a)
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

// builtinDict takes its keyword arguments as entries, each remembering
// where its value was written.
func builtinDict(in *interp, a *callArgs) (value, error) {
	var src value
	if err := unpackArgs("dict", a.positionalOnly(), "iterable?", &src); err != nil {
		return nil, err
	}
	d := newDict()
	if src != nil {
		if err := in.updateFrom(a.n, d, src); err != nil {
			return nil, err
		}
	}
	for i, k := range a.kwNames {
		if err := d.set(&strV{s: k}, a.kwVals[i], a.kwSpans[i]); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func builtinObject(in *interp, a *callArgs) (value, error) {
	if err := unpackArgs("object", a); err != nil {
		return nil, err
	}
	return &instanceV{class: &classV{name: "object", attrs: map[string]value{}}, attrs: newDict()}, nil
}

func builtinBytes(in *interp, a *callArgs) (value, error) {
	return &opaqueV{reason: "bytes values are not evaluated", line: a.n.Line, col: a.n.Col}, nil
}

func builtinType(in *interp, a *callArgs) (value, error) {
	return &opaqueV{reason: "type() is not evaluated", line: a.n.Line, col: a.n.Col, harmless: true}, nil
}
