package python

import (
	"strconv"
	"strings"

	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// strFormat is str.format: {}, {0}, {name}, {name.attr}, {name[key]},
// conversions and format specs (which may nest fields).
func (in *interp) strFormat(format string, a *callArgs) (string, error) {
	// CPython allows one level of fields nested in a format spec.
	in.fmtDepth++
	defer func() { in.fmtDepth-- }()
	if in.fmtDepth > 2 {
		return "", pyErrf("ValueError", "Max string recursion exceeded")
	}
	if err := in.work(a.n, int64(len(format))); err != nil {
		return "", err
	}
	args := a.pos[1:]
	auto := 0
	var b strings.Builder
	var field func(spec string) (value, error)
	field = func(name string) (value, error) {
		first, rest := name, ""
		if i := strings.IndexAny(name, ".["); i >= 0 {
			first, rest = name[:i], name[i:]
		}
		var v value
		switch {
		case first == "":
			if auto >= len(args) {
				return nil, pyErrf("IndexError", "Replacement index %d out of range for positional args tuple", auto)
			}
			v = args[auto]
			auto++
		case isDigits(first):
			i, _ := strconv.Atoi(first)
			if i >= len(args) {
				return nil, pyErrf("IndexError", "Replacement index %d out of range for positional args tuple", i)
			}
			v = args[i]
		default:
			kv, ok := a.kw(first)
			if !ok {
				return nil, pyErrf("KeyError", "'%s'", first)
			}
			v = kv
		}
		for rest != "" {
			if rest[0] == '.' {
				end := strings.IndexAny(rest[1:], ".[")
				if end < 0 {
					end = len(rest) - 1
				}
				attr := rest[1 : end+1]
				var err error
				if v, err = in.getAttr(a.n, v, attr); err != nil {
					return nil, err
				}
				rest = rest[end+1:]
				continue
			}
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, pyErrf("ValueError", "Missing ']' in format string")
			}
			key := rest[1:end]
			var kv value = &strV{s: key}
			if isDigits(key) {
				n, _ := strconv.ParseInt(key, 10, 64)
				kv = n
			}
			var err error
			if v, err = in.getItem(a.n, v, kv); err != nil {
				return nil, err
			}
			rest = rest[end+1:]
		}
		return v, nil
	}
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c == '}' {
			if i+1 < len(format) && format[i+1] == '}' {
				i++
			}
			b.WriteByte('}')
			continue
		}
		if c != '{' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(format) && format[i+1] == '{' {
			b.WriteByte('{')
			i++
			continue
		}
		// Find the matching close brace, allowing one level of nesting in
		// the spec.
		depth, j := 1, i+1
		for ; j < len(format) && depth > 0; j++ {
			switch format[j] {
			case '{':
				depth++
			case '}':
				depth--
			}
		}
		if depth != 0 {
			return "", pyErrf("ValueError", "expected '}' before end of string")
		}
		inner := format[i+1 : j-1]
		i = j - 1
		name, spec, _ := strings.Cut(inner, ":")
		name, conv, _ := strings.Cut(name, "!")
		v, err := field(name)
		if err != nil {
			return "", err
		}
		if o := firstOpaque(v); o != nil {
			return "", &opaqueFlow{o}
		}
		switch conv {
		case "r", "a":
			s, err := in.repr(a.n, v)
			if err != nil {
				return "", err
			}
			v = &strV{s: s}
		case "s":
			s, err := in.str(a.n, v)
			if err != nil {
				return "", err
			}
			v = &strV{s: s}
		}
		if strings.Contains(spec, "{") {
			sub := *a
			sub.pos = append([]value{&strV{s: spec}}, args[auto:]...)
			spec, err = in.strFormat(spec, &sub)
			if err != nil {
				return "", err
			}
		}
		s, err := in.formatValue(a.n, v, spec)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
		if err := in.checkSize(a.n, int64(b.Len())); err != nil {
			return "", err
		}
	}
	return b.String(), in.alloc(a.n, int64(b.Len()))
}

// percentFormat is Python's format % args, charged to the run at n.
func (in *interp) percentFormat(n *syntax.Node, format string, args value) (string, error) {
	if err := in.work(n, int64(len(format))); err != nil {
		return "", err
	}
	var positional []value
	mapping, _ := args.(*dictV)
	if t, ok := args.(*tupleV); ok {
		positional = t.items
	} else {
		positional = []value{args}
	}
	next := 0
	take := func() (value, error) {
		if next >= len(positional) {
			return nil, pyErrf("TypeError", "not enough arguments for format string")
		}
		v := positional[next]
		next++
		return v, nil
	}
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(format) {
			return "", pyErrf("ValueError", "incomplete format")
		}
		var arg value
		haveArg := false
		if format[i] == '(' {
			end := strings.IndexByte(format[i:], ')')
			if end < 0 || mapping == nil {
				return "", pyErrf("TypeError", "format requires a mapping")
			}
			v, found, _ := mapping.get(&strV{s: format[i+1 : i+end]})
			if !found {
				return "", pyErrf("KeyError", "'%s'", format[i+1:i+end])
			}
			arg, haveArg = v, true
			i += end + 1
		}
		fs := fmtSpec{fill: ' ', precision: -1}
	flags:
		for ; i < len(format); i++ {
			switch format[i] {
			case '-':
				fs.align = '<'
			case '+':
				fs.sign = '+'
			case ' ':
				if fs.sign == 0 {
					fs.sign = ' '
				}
			case '#':
				fs.alt = true
			case '0':
				fs.zero = true
			default:
				break flags
			}
		}
		readNum := func() (int, error) {
			if i < len(format) && format[i] == '*' {
				i++
				v, err := take()
				if err != nil {
					return 0, err
				}
				w, ok := asInt(v)
				if !ok {
					return 0, pyErrf("TypeError", "* wants int")
				}
				if w > maxValueSize || w < -maxValueSize {
					return 0, pyErrf("ValueError", "width or precision %d from * is too big (the limit is %d)", w, maxValueSize)
				}
				if w < 0 {
					// CPython reads a negative * width as left alignment.
					fs.align = '<'
					w = -w
				}
				return int(w), nil
			}
			start := i
			for i < len(format) && format[i] >= '0' && format[i] <= '9' {
				i++
			}
			if i == start {
				return -1, nil
			}
			w, err := strconv.Atoi(format[start:i])
			if err != nil || w > maxValueSize {
				return 0, pyErrf("ValueError", "width or precision %s is too big (the limit is %d)", truncate(format[start:i], 20), maxValueSize)
			}
			return w, nil
		}
		w, err := readNum()
		if err != nil {
			return "", err
		}
		if w > 0 {
			fs.width = w
		}
		if i < len(format) && format[i] == '.' {
			i++
			p, err := readNum()
			if err != nil {
				return "", err
			}
			fs.precision = max(p, 0)
		}
		for i < len(format) && strings.IndexByte("hlL", format[i]) >= 0 {
			i++
		}
		if i >= len(format) {
			return "", pyErrf("ValueError", "incomplete format")
		}
		conv := format[i]
		if conv == '%' {
			b.WriteByte('%')
			continue
		}
		if !haveArg {
			if arg, err = take(); err != nil {
				return "", err
			}
		}
		if fs.align == '<' {
			fs.zero = false
		}
		// The width and precision are paid for before they are filled.
		if err := in.chargeStr(n, int64(b.Len()+fs.width+max(fs.precision, 0))); err != nil {
			return "", err
		}
		var s string
		switch conv {
		case 's', 'r', 'a':
			if conv == 's' {
				s, err = in.str(n, arg)
			} else {
				s, err = in.repr(n, arg)
			}
			if err != nil {
				return "", err
			}
			if fs.precision >= 0 && pyLen(s) > fs.precision {
				s = string([]rune(s)[:fs.precision])
			}
			fs.zero = false
			s = pad(s, fs, '>')
		case 'd', 'i', 'u', 'x', 'X', 'o', 'c':
			n, ok := asInt(arg)
			if f, isF := arg.(float64); isF && conv != 'c' {
				n, ok = int64(f), true
			}
			if !ok {
				return "", pyErrf("TypeError", "%%%c format: a number is required, not %s", conv, typeName(arg))
			}
			if conv == 'i' || conv == 'u' {
				conv = 'd'
			}
			fs.typ = conv
			if fs.precision >= 0 && conv != 'c' {
				// %.3d pads the digits with zeros.
				digits, err := formatInt(n, fmtSpec{fill: ' ', precision: -1, typ: conv, alt: fs.alt})
				if err != nil {
					return "", err
				}
				neg := strings.HasPrefix(digits, "-")
				digits = strings.TrimPrefix(digits, "-")
				if len(digits) < fs.precision {
					digits = strings.Repeat("0", fs.precision-len(digits)) + digits
				}
				s = padNumber(signOf(neg, fs.sign), digits, fmtSpec{fill: ' ', width: fs.width, align: fs.align, zero: fs.zero})
				break
			}
			s, err = formatInt(n, fs)
			if err != nil {
				return "", err
			}
		case 'e', 'E', 'f', 'F', 'g', 'G':
			x, ok := asFloat(arg)
			if !ok {
				return "", pyErrf("TypeError", "must be real number, not %s", typeName(arg))
			}
			fs.typ = conv
			s = formatFloat(x, fs)
		default:
			return "", pyErrf("ValueError", "unsupported format character '%c'", conv)
		}
		b.WriteString(s)
		if err := in.checkSize(n, int64(b.Len())); err != nil {
			return "", err
		}
	}
	if mapping == nil && next < len(positional) {
		return "", pyErrf("TypeError", "not all arguments converted during string formatting")
	}
	return b.String(), in.alloc(n, int64(b.Len()))
}
