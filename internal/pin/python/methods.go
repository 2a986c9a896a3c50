package python

type methodFn = func(in *interp, a *callArgs) (value, error)

// methods holds the builtin types' methods; self is the first positional
// argument, so the same function serves "s.lower()" and "str.lower(s)".
var methods map[string]map[string]methodFn

func init() {
	methods = map[string]map[string]methodFn{
		"str":   strMethods,
		"list":  listMethods,
		"dict":  dictMethods,
		"set":   setMethods,
		"tuple": tupleMethods,
	}
}

func methodOf(obj value, name string) *builtinV {
	return unboundMethod(typeName(obj), name)
}

func unboundMethod(typ, name string) *builtinV {
	fn, ok := methods[typ][name]
	if !ok {
		return nil
	}
	return &builtinV{name: typ + "." + name, fn: func(in *interp, a *callArgs) (value, error) {
		if len(a.pos) == 0 {
			return nil, pyErrf("TypeError", "%s.%s() needs an argument", typ, name)
		}
		if typeName(a.pos[0]) != typ {
			if o := firstOpaque(a.pos[0]); o != nil {
				return o, nil
			}
			return nil, pyErrf("TypeError", "descriptor '%s' requires a '%s' object", name, typ)
		}
		// String methods of unknown arguments give unknown results;
		// container methods store or return unknown values as they are.
		if o := a.opaque(); o != nil && typ == "str" {
			return o, nil
		}
		if typ != "str" {
			return fn(in, a)
		}
		// The call paid for reading the string and its arguments once
		// (argUnits), and split, join and replace charge what they build;
		// a string result is memory.
		v, err := fn(in, a)
		if s, ok := v.(*strV); ok && err == nil && s != a.pos[0] {
			err = in.alloc(a.n, int64(len(s.s)))
		}
		return v, err
	}}
}

// strArg returns argument i (after self) as a string.
func strArg(a *callArgs, i int, name string) (string, bool, error) {
	v := a.arg(i+1, name, nil)
	if v == nil || v == value(none) {
		return "", false, nil
	}
	s, ok := v.(*strV)
	if !ok {
		return "", false, pyErrf("TypeError", "%s must be str, not %s", name, typeName(v))
	}
	return s.s, true, nil
}

func intArg(a *callArgs, i int, name string, def int64) (int64, error) {
	return intValue(a.arg(i+1, name, nil), name, def)
}

// intValue is argument v as an int, or def if it is absent or None.
func intValue(v value, name string, def int64) (int64, error) {
	if v == nil || v == value(none) {
		return def, nil
	}
	n, ok := asInt(v)
	if !ok {
		return 0, pyErrf("TypeError", "%s must be int, not %s", name, typeName(v))
	}
	return n, nil
}
