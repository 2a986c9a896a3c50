package python

import (
	"errors"
	"strings"
	"unicode"

	"github.com/pindrift/pindrift/internal/pin"
)

// strV is a str that remembers where it came from. When lit is true the
// value is exactly the text of one plain string literal at span, which is
// what makes a SHA rewritable in place.
type strV struct {
	s    string
	span pin.Span
	lit  bool
}

func self(a *callArgs) *strV { return a.pos[0].(*strV) }

// derived makes a string computed by a method: it remembers the call site.
func derived(a *callArgs, s string) *strV { return &strV{s: s, span: spanOf(a.n)} }

func strMap(f func(string) string) methodFn {
	return func(in *interp, a *callArgs) (value, error) { return derived(a, f(self(a).s)), nil }
}

func strPred(f func(string) bool) methodFn {
	return func(in *interp, a *callArgs) (value, error) { return f(self(a).s), nil }
}

func strTrim(kind int) methodFn {
	return func(in *interp, a *callArgs) (value, error) {
		chars, given, err := strArg(a, 0, "chars")
		if err != nil {
			return nil, err
		}
		s := self(a).s
		if !given {
			switch kind {
			case 0:
				return derived(a, strings.TrimSpace(s)), nil
			case 1:
				return derived(a, strings.TrimLeftFunc(s, unicode.IsSpace)), nil
			}
			return derived(a, strings.TrimRightFunc(s, unicode.IsSpace)), nil
		}
		switch kind {
		case 0:
			return derived(a, strings.Trim(s, chars)), nil
		case 1:
			return derived(a, strings.TrimLeft(s, chars)), nil
		}
		return derived(a, strings.TrimRight(s, chars)), nil
	}
}

func strAffix(suffix bool) methodFn {
	return func(in *interp, a *callArgs) (value, error) {
		s := self(a).s
		test := func(p string) bool {
			if suffix {
				return strings.HasSuffix(s, p)
			}
			return strings.HasPrefix(s, p)
		}
		switch p := a.arg(1, "", nil).(type) {
		case *strV:
			return test(p.s), nil
		case *tupleV:
			for _, it := range p.items {
				ps, ok := it.(*strV)
				if !ok {
					return nil, pyErrf("TypeError", "tuple for startswith must only contain str")
				}
				if test(ps.s) {
					return true, nil
				}
			}
			return false, nil
		}
		return nil, pyErrf("TypeError", "startswith/endswith first arg must be str or a tuple of str")
	}
}

func strSplit(right bool) methodFn {
	return func(in *interp, a *callArgs) (value, error) {
		sep, hasSep, err := strArg(a, 0, "sep")
		if err != nil {
			return nil, err
		}
		maxsplit, err := intArg(a, 1, "maxsplit", -1)
		if err != nil {
			return nil, err
		}
		s := self(a).s
		// Pay for the parts before making them.
		bound := int64(0)
		switch {
		case hasSep && sep != "":
			bound = int64(strings.Count(s, sep)) + 1
		case !hasSep:
			bound = int64(countFields(s))
		}
		if maxsplit >= 0 {
			bound = min(bound, maxsplit+1)
		}
		if err := in.chargeSeq(a.n, bound); err != nil {
			return nil, err
		}
		if err := in.alloc(a.n, bound*objBytes); err != nil {
			return nil, err
		}
		var parts []string
		switch {
		case hasSep && sep == "":
			return nil, pyErrf("ValueError", "empty separator")
		case hasSep && maxsplit < 0:
			parts = strings.Split(s, sep)
		case hasSep && !right:
			parts = strings.SplitN(s, sep, int(maxsplit)+1)
		case hasSep:
			parts = rsplitN(s, sep, int(maxsplit))
		default:
			parts = splitWhitespace(s, int(maxsplit), right)
		}
		out := make([]value, len(parts))
		for i, p := range parts {
			out[i] = derived(a, p)
		}
		return &listV{items: out}, nil
	}
}

func rsplitN(s, sep string, n int) []string {
	var rev []string
	for n != 0 {
		i := strings.LastIndex(s, sep)
		if i < 0 {
			break
		}
		rev = append(rev, s[i+len(sep):])
		s = s[:i]
		n--
	}
	out := []string{s}
	for i := len(rev) - 1; i >= 0; i-- {
		out = append(out, rev[i])
	}
	return out
}

// splitWhitespace is str.split() without a separator.
func splitWhitespace(s string, maxsplit int, right bool) []string {
	if maxsplit < 0 {
		return strings.Fields(s)
	}
	fields := strings.Fields(s)
	if len(fields) <= maxsplit+1 {
		return fields
	}
	if !right {
		rest := strings.TrimLeftFunc(s, unicode.IsSpace)
		var out []string
		for i := 0; i < maxsplit; i++ {
			j := strings.IndexFunc(rest, unicode.IsSpace)
			out = append(out, rest[:j])
			rest = strings.TrimLeftFunc(rest[j:], unicode.IsSpace)
		}
		return append(out, rest)
	}
	rest := strings.TrimRightFunc(s, unicode.IsSpace)
	var rev []string
	for i := 0; i < maxsplit; i++ {
		j := strings.LastIndexFunc(rest, unicode.IsSpace)
		rev = append(rev, rest[j+1:])
		rest = strings.TrimRightFunc(rest[:j], unicode.IsSpace)
	}
	out := []string{rest}
	for i := len(rev) - 1; i >= 0; i-- {
		out = append(out, rev[i])
	}
	return out
}

func strFind(right, strict bool) methodFn {
	return func(in *interp, a *callArgs) (value, error) {
		sub, ok, err := strArg(a, 0, "sub")
		if err != nil || !ok {
			if err == nil {
				err = pyErrf("TypeError", "find() needs a substring")
			}
			return nil, err
		}
		s := self(a).s
		if !isASCII(s) {
			return nil, pyErrf("NotImplementedError", "find() on non-ASCII text is not evaluated")
		}
		i := strings.Index(s, sub)
		if right {
			i = strings.LastIndex(s, sub)
		}
		if i < 0 && strict {
			return nil, pyErrf("ValueError", "substring not found")
		}
		return int64(i), nil
	}
}

func strJust(kind byte) methodFn {
	return func(in *interp, a *callArgs) (value, error) {
		w, err := intArg(a, 0, "width", 0)
		if err != nil {
			return nil, err
		}
		fill := " "
		if f, ok, err := strArg(a, 1, "fillchar"); err != nil {
			return nil, err
		} else if ok {
			fill = f
		}
		if err := in.chargeStr(a.n, w); err != nil {
			return nil, err
		}
		r := []rune(fill)
		if len(r) != 1 {
			return nil, pyErrf("TypeError", "the fill character must be exactly one character long")
		}
		return derived(a, pad(self(a).s, fmtSpec{fill: r[0], width: int(w), align: kind}, kind)), nil
	}
}

var strMethods = map[string]methodFn{
	"lower":      strMap(strings.ToLower),
	"upper":      strMap(strings.ToUpper),
	"casefold":   strMap(strings.ToLower),
	"swapcase":   strMap(swapCase),
	"capitalize": strMap(capitalize),
	"title":      strMap(title),
	"strip":      strTrim(0),
	"lstrip":     strTrim(1),
	"rstrip":     strTrim(2),
	"startswith": strAffix(false),
	"endswith":   strAffix(true),
	"split":      strSplit(false),
	"rsplit":     strSplit(true),
	"find":       strFind(false, false),
	"rfind":      strFind(true, false),
	"index":      strFind(false, true),
	"rindex":     strFind(true, true),
	"ljust":      strJust('<'),
	"rjust":      strJust('>'),
	"center":     strJust('^'),
	"isdigit": strPred(func(s string) bool {
		return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }) < 0
	}),
	"isdecimal": strPred(func(s string) bool {
		return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }) < 0
	}),
	"isnumeric": strPred(func(s string) bool {
		return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsNumber(r) }) < 0
	}),
	"isalpha": strPred(func(s string) bool {
		return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) < 0
	}),
	"isalnum": strPred(func(s string) bool {
		return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) < 0
	}),
	"isspace": strPred(func(s string) bool { return s != "" && strings.TrimSpace(s) == "" }),
	"isupper": strPred(func(s string) bool { return strings.ToUpper(s) == s && strings.ToLower(s) != s }),
	"islower": strPred(func(s string) bool { return strings.ToLower(s) == s && strings.ToUpper(s) != s }),
	"isidentifier": strPred(func(s string) bool {
		for i, r := range s {
			if !(r == '_' || unicode.IsLetter(r) || i > 0 && unicode.IsDigit(r)) {
				return false
			}
		}
		return s != ""
	}),
	"replace": func(in *interp, a *callArgs) (value, error) {
		old, ok1, err := strArg(a, 0, "old")
		if err != nil {
			return nil, err
		}
		repl, ok2, err := strArg(a, 1, "new")
		if err != nil {
			return nil, err
		}
		if !ok1 || !ok2 {
			return nil, pyErrf("TypeError", "replace() takes two strings")
		}
		count, err := intArg(a, 2, "count", -1)
		if err != nil {
			return nil, err
		}
		s := self(a).s
		if old == "" && int64(len(s)+1)*int64(len(repl)) > maxValueSize || strings.Count(s, old)*len(repl) > maxValueSize {
			return nil, in.charge(a.n, maxValueSize+1)
		}
		return derived(a, strings.Replace(s, old, repl, int(count))), nil
	},
	"removeprefix": func(in *interp, a *callArgs) (value, error) {
		p, _, err := strArg(a, 0, "prefix")
		return derived(a, strings.TrimPrefix(self(a).s, p)), err
	},
	"removesuffix": func(in *interp, a *callArgs) (value, error) {
		p, _, err := strArg(a, 0, "suffix")
		return derived(a, strings.TrimSuffix(self(a).s, p)), err
	},
	"partition":  strPartition(false),
	"rpartition": strPartition(true),
	"count": func(in *interp, a *callArgs) (value, error) {
		sub, _, err := strArg(a, 0, "sub")
		if err != nil {
			return nil, err
		}
		return int64(strings.Count(self(a).s, sub)), nil
	},
	"zfill": func(in *interp, a *callArgs) (value, error) {
		w, err := intArg(a, 0, "width", 0)
		if err != nil {
			return nil, err
		}
		if err := in.chargeStr(a.n, w); err != nil {
			return nil, err
		}
		s := self(a).s
		sign := ""
		if s != "" && (s[0] == '-' || s[0] == '+') {
			sign, s = s[:1], s[1:]
		}
		if n := int(w) - len(sign) - pyLen(s); n > 0 {
			s = strings.Repeat("0", n) + s
		}
		return derived(a, sign+s), nil
	},
	"splitlines": func(in *interp, a *callArgs) (value, error) {
		lines := int64(strings.Count(self(a).s, "\n") + strings.Count(self(a).s, "\r") + 1)
		if err := in.chargeSeq(a.n, lines); err != nil {
			return nil, err
		}
		if err := in.alloc(a.n, lines*objBytes); err != nil {
			return nil, err
		}
		s := strings.ReplaceAll(self(a).s, "\r\n", "\n")
		s = strings.TrimSuffix(s, "\n")
		var out []value
		if s != "" {
			for _, l := range strings.FieldsFunc(s+"\x00", func(r rune) bool { return r == '\n' || r == '\r' || r == 0 }) {
				out = append(out, derived(a, l))
			}
		}
		return &listV{items: append([]value{}, out...)}, nil
	},
	"join": func(in *interp, a *callArgs) (value, error) {
		seq := a.arg(1, "iterable", nil)
		if seq == nil {
			return nil, pyErrf("TypeError", "join() takes exactly one argument")
		}
		if o := firstOpaque(seq); o != nil {
			return o, nil
		}
		items, err := in.iterate(a.n, seq)
		if err != nil {
			return nil, err
		}
		parts := make([]string, len(items))
		size := 0
		for i, it := range items {
			s, ok := it.(*strV)
			if !ok {
				if o := firstOpaque(it); o != nil {
					return o, nil
				}
				return nil, pyErrf("TypeError", "sequence item %d: expected str instance, %s found", i, typeName(it))
			}
			parts[i] = s.s
			size += len(s.s) + len(self(a).s)
		}
		if err := in.chargeStr(a.n, int64(size)); err != nil {
			return nil, err
		}
		return derived(a, strings.Join(parts, self(a).s)), nil
	},
	"format": func(in *interp, a *callArgs) (value, error) {
		s, err := in.strFormat(self(a).s, a)
		var of *opaqueFlow
		if errors.As(err, &of) {
			return of.o, nil
		}
		if err != nil {
			return nil, err
		}
		return derived(a, s), nil
	},
	"encode": func(in *interp, a *callArgs) (value, error) {
		return &opaqueV{reason: "bytes values are not evaluated", line: a.n.Line, col: a.n.Col}, nil
	},
}

func strPartition(right bool) methodFn {
	return func(in *interp, a *callArgs) (value, error) {
		sep, ok, err := strArg(a, 0, "sep")
		if err != nil || !ok || sep == "" {
			if err == nil {
				err = pyErrf("ValueError", "empty separator")
			}
			return nil, err
		}
		s := self(a).s
		i := strings.Index(s, sep)
		if right {
			i = strings.LastIndex(s, sep)
		}
		if i < 0 {
			if right {
				return &tupleV{items: []value{derived(a, ""), derived(a, ""), derived(a, s)}}, nil
			}
			return &tupleV{items: []value{derived(a, s), derived(a, ""), derived(a, "")}}, nil
		}
		return &tupleV{items: []value{derived(a, s[:i]), derived(a, sep), derived(a, s[i+len(sep):])}}, nil
	}
}

func swapCase(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsUpper(r) {
			return unicode.ToLower(r)
		}
		return unicode.ToUpper(r)
	}, s)
}

func capitalize(s string) string {
	r := []rune(strings.ToLower(s))
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

func title(s string) string {
	prevLetter := false
	return strings.Map(func(r rune) rune {
		out := r
		if unicode.IsLetter(r) {
			if prevLetter {
				out = unicode.ToLower(r)
			} else {
				out = unicode.ToUpper(r)
			}
		}
		prevLetter = unicode.IsLetter(r)
		return out
	}, s)
}

// countFields counts what strings.Fields(s) would return, without
// building it.
func countFields(s string) int {
	n, in := 0, false
	for _, r := range s {
		space := unicode.IsSpace(r)
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}
