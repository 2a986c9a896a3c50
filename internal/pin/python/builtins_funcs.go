package python

import (
	"errors"
	"math"
	"slices"
)

func builtinLen(in *interp, a *callArgs) (value, error) {
	var obj value
	if err := unpackArgs("len", a, "obj", &obj); err != nil {
		return nil, err
	}
	switch x := obj.(type) {
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
	return nil, pyErrf("TypeError", "object of type '%s' has no len()", typeName(obj))
}

func builtinIsinstance(in *interp, a *callArgs) (value, error) {
	var obj, class value
	if err := unpackArgs("isinstance", a, "obj", &obj, "class_or_tuple", &class); err != nil {
		return nil, err
	}
	return isInstance(obj, class, 0)
}

func builtinRepr(in *interp, a *callArgs) (value, error) {
	var v value
	if err := unpackArgs("repr", a, "obj", &v); err != nil {
		return nil, err
	}
	if o := firstOpaque(v); o != nil {
		return o, nil
	}
	s, err := in.repr(a.n, v)
	return &strV{s: s, span: spanOf(a.n)}, err
}

func builtinFormat(in *interp, a *callArgs) (value, error) {
	var v, specArg value = nil, &strV{}
	if err := unpackArgs("format", a, "value", &v, "format_spec?", &specArg); err != nil {
		return nil, err
	}
	spec, _ := specArg.(*strV)
	if o := firstOpaque(v); o != nil || spec == nil {
		return firstOpaqueOr(v, pyErrf("TypeError", "format spec must be str"))
	}
	s, err := in.formatValue(a.n, v, spec.s)
	return &strV{s: s, span: spanOf(a.n)}, err
}

func builtinAbs(in *interp, a *callArgs) (value, error) {
	var v value
	if err := unpackArgs("abs", a, "x", &v); err != nil {
		return nil, err
	}
	switch x := v.(type) {
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
}

func builtinRound(in *interp, a *callArgs) (value, error) {
	var number, ndigits value = nil, none
	if err := unpackArgs("round", a, "number", &number, "ndigits?", &ndigits); err != nil {
		return nil, err
	}
	x, ok := asFloat(number)
	if !ok {
		return firstOpaqueOr(number, pyErrf("TypeError", "round() needs a number"))
	}
	if ndigits == value(none) {
		return int64(math.RoundToEven(x)), nil
	}
	nd, _ := asInt(ndigits)
	p := math.Pow(10, float64(nd))
	return math.RoundToEven(x*p) / p, nil
}

func builtinOrd(in *interp, a *callArgs) (value, error) {
	var c value
	if err := unpackArgs("ord", a, "c", &c); err != nil {
		return nil, err
	}
	s, ok := c.(*strV)
	if !ok || pyLen(s.s) != 1 {
		return firstOpaqueOr(c, pyErrf("TypeError", "ord() expected a character"))
	}
	return int64([]rune(s.s)[0]), nil
}

func builtinChr(in *interp, a *callArgs) (value, error) {
	var v value
	if err := unpackArgs("chr", a, "i", &v); err != nil {
		return nil, err
	}
	i, ok := asInt(v)
	if !ok || i < 0 || i > 0x10ffff {
		return firstOpaqueOr(v, pyErrf("ValueError", "chr() arg not in range(0x110000)"))
	}
	return &strV{s: string(rune(i)), span: spanOf(a.n)}, nil
}

func builtinHex(in *interp, a *callArgs) (value, error) {
	var v value
	if err := unpackArgs("hex", a, "x", &v); err != nil {
		return nil, err
	}
	i, ok := asInt(v)
	if !ok {
		return firstOpaqueOr(v, pyErrf("TypeError", "hex() needs an integer"))
	}
	s, err := formatInt(i, fmtSpec{fill: ' ', precision: -1, alt: true, typ: 'x'})
	return &strV{s: s, span: spanOf(a.n)}, err
}

func builtinCallable(in *interp, a *callArgs) (value, error) {
	var v value
	if err := unpackArgs("callable", a, "obj", &v); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case *funcV, *builtinV, *boundV, *classV, *typeV:
		return true, nil
	case *opaqueV:
		return x, nil
	}
	return false, nil
}

func builtinGetattr(in *interp, a *callArgs) (value, error) {
	var obj, nameArg, def value
	if err := unpackArgs("getattr", a, "obj", &obj, "name", &nameArg, "default?", &def); err != nil {
		return nil, err
	}
	name, ok := nameArg.(*strV)
	if !ok {
		return firstOpaqueOr(nameArg, pyErrf("TypeError", "attribute name must be string"))
	}
	v, err := in.getAttr(a.n, obj, name.s)
	var pe *pyError
	if err != nil && def != nil && errors.As(err, &pe) && pe.typ == "AttributeError" {
		return def, nil
	}
	return v, err
}

func builtinHasattr(in *interp, a *callArgs) (value, error) {
	var obj, nameArg value
	if err := unpackArgs("hasattr", a, "obj", &obj, "name", &nameArg); err != nil {
		return nil, err
	}
	name, ok := nameArg.(*strV)
	if !ok {
		return firstOpaqueOr(nameArg, pyErrf("TypeError", "attribute name must be string"))
	}
	v, err := in.getAttr(a.n, obj, name.s)
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
}

// builtinProperty models property(fget): the getter, marked so attribute
// lookup calls it. A setter, deleter and doc are accepted and not used.
func builtinProperty(in *interp, a *callArgs) (value, error) {
	var fget, fset, fdel, doc value
	if err := unpackArgs("property", a, "fget", &fget, "fset?", &fset, "fdel?", &fdel, "doc?", &doc); err != nil {
		return nil, err
	}
	return markFunc("property", fget)
}

func builtinStaticmethod(in *interp, a *callArgs) (value, error) {
	var fn value
	if err := unpackArgs("staticmethod", a, "function", &fn); err != nil {
		return nil, err
	}
	return markFunc("staticmethod", fn)
}

func builtinClassmethod(in *interp, a *callArgs) (value, error) {
	var fn value
	if err := unpackArgs("classmethod", a, "function", &fn); err != nil {
		return nil, err
	}
	return markFunc("classmethod", fn)
}

// markFunc models the method decorators: the function is kept, marked so
// attribute lookup binds it the way the decorator would.
func markFunc(kind string, v value) (value, error) {
	fn, ok := v.(*funcV)
	if !ok {
		return firstOpaqueOr(v, pyErrf("TypeError", "%s expects a function", kind))
	}
	marked := *fn
	marked.kind = kind
	return &marked, nil
}

func builtinPrint(in *interp, a *callArgs) (value, error) { return none, nil }

func builtinID(in *interp, a *callArgs) (value, error) {
	return &opaqueV{reason: "id() is not evaluated", line: a.n.Line, col: a.n.Col}, nil
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
