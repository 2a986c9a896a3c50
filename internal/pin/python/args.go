package python

import "strings"

// unpackArgs reads a builtin's arguments into variables, in the manner of
// starlark-go's UnpackArgs. pairs alternate a parameter name and a
// pointer: *value for a parameter, *[]value for "*name", which collects
// the remaining positional arguments (parameters after it are keyword
// only). A name ending in "?" is optional, and its variable keeps what the
// caller put there when the argument is absent. A parameter is filled by
// position or by keyword; too many positional arguments, a missing
// required one, and an unknown or repeated keyword raise TypeError, as
// CPython does. Values are not converted: each builtin decides what an
// unknown (opaque) argument makes of its result.
func unpackArgs(fn string, a *callArgs, pairs ...any) error {
	if len(pairs)%2 != 0 {
		panic("unpackArgs: pairs must alternate names and pointers")
	}
	n := len(pairs) / 2
	// Builtins take a few parameters: fixed arrays keep a call free of
	// allocations.
	var namesBuf [8]string
	var optionalBuf, setBuf [8]bool
	names, optional, set := namesBuf[:0], optionalBuf[:0], setBuf[:0]
	if n > len(namesBuf) {
		names, optional, set = make([]string, 0, n), make([]bool, 0, n), make([]bool, 0, n)
	}
	names, optional, set = names[:n], optional[:n], set[:n]
	var rest *[]value
	npos := n // parameters that may be given by position
	for i := range n {
		name := pairs[2*i].(string)
		if r, ok := strings.CutPrefix(name, "*"); ok {
			rest, npos = pairs[2*i+1].(*[]value), i
			names[i], optional[i], set[i] = r, true, true
			continue
		}
		names[i], optional[i] = strings.CutSuffix(name, "?")
	}
	for i, v := range a.pos {
		if i >= npos {
			if rest == nil {
				return pyErrf("TypeError", "%s() takes at most %d argument%s (%d given)", fn, npos, plural(npos), len(a.pos))
			}
			*rest = append(*rest, v)
			continue
		}
		*pairs[2*i+1].(*value) = v
		set[i] = true
	}
	for k, kw := range a.kwNames {
		i := keywordParam(names, rest != nil, npos, kw)
		if i < 0 {
			return pyErrf("TypeError", "%s() got an unexpected keyword argument '%s'", fn, kw)
		}
		if set[i] {
			return pyErrf("TypeError", "%s() got multiple values for argument '%s'", fn, kw)
		}
		*pairs[2*i+1].(*value) = a.kwVals[k]
		set[i] = true
	}
	for i := range n {
		if !set[i] && !optional[i] {
			return pyErrf("TypeError", "%s() missing required argument '%s'", fn, names[i])
		}
	}
	return nil
}

// keywordParam returns the index of the parameter a keyword names, or -1;
// the "*name" parameter is never one.
func keywordParam(names []string, hasRest bool, restAt int, kw string) int {
	for i, name := range names {
		if name == kw && !(hasRest && i == restAt) {
			return i
		}
	}
	return -1
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// positionalOnly is a's positional arguments alone, for builtins that take
// their keywords as data (dict(a=1)).
func (a *callArgs) positionalOnly() *callArgs {
	return &callArgs{n: a.n, pos: a.pos, posSpans: a.posSpans}
}

// iterArg iterates v, an argument of the call a; an absent one (nil) is
// empty, and an unknown iterable comes back as o.
func (in *interp) iterArg(a *callArgs, v value) ([]value, *opaqueV, error) {
	if v == nil {
		return nil, nil, nil
	}
	if o := firstOpaque(v); o != nil {
		return nil, o, nil
	}
	items, err := in.iterate(a.n, v)
	return items, nil, err
}

// iterableArg unpacks the one argument of a builtin that takes an iterable
// (name ends in "?" if it may be absent) and iterates it; an unknown
// iterable comes back as o.
func (in *interp) iterableArg(fn, name string, a *callArgs) ([]value, *opaqueV, error) {
	var it value
	if err := unpackArgs(fn, a, name, &it); err != nil {
		return nil, nil, err
	}
	return in.iterArg(a, it)
}
