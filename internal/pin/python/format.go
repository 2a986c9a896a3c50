package python

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// fmtSpec is a parsed format specification:
// [[fill]align][sign][z][#][0][width][grouping][.precision][type].
type fmtSpec struct {
	fill      rune
	align     byte
	sign      byte
	alt       bool
	zero      bool
	width     int
	grouping  byte
	precision int // -1 when absent
	typ       byte
}

func parseSpec(spec string) (fmtSpec, error) {
	fs := fmtSpec{fill: ' ', precision: -1}
	r := []rune(spec)
	i := 0
	isAlign := func(c rune) bool { return c == '<' || c == '>' || c == '^' || c == '=' }
	if len(r) >= 2 && isAlign(r[1]) {
		fs.fill, fs.align = r[0], byte(r[1])
		i = 2
	} else if len(r) >= 1 && isAlign(r[0]) {
		fs.align = byte(r[0])
		i = 1
	}
	if i < len(r) && (r[i] == '+' || r[i] == '-' || r[i] == ' ') {
		fs.sign = byte(r[i])
		i++
	}
	if i < len(r) && r[i] == 'z' {
		i++
	}
	if i < len(r) && r[i] == '#' {
		fs.alt = true
		i++
	}
	if i < len(r) && r[i] == '0' {
		fs.zero = true
		i++
	}
	start := i
	for i < len(r) && r[i] >= '0' && r[i] <= '9' {
		i++
	}
	if i > start {
		fs.width, _ = strconv.Atoi(string(r[start:i]))
	}
	if i < len(r) && (r[i] == ',' || r[i] == '_') {
		fs.grouping = byte(r[i])
		i++
	}
	if i < len(r) && r[i] == '.' {
		i++
		start = i
		for i < len(r) && r[i] >= '0' && r[i] <= '9' {
			i++
		}
		if i == start {
			return fs, pyErrf("ValueError", "format specifier missing precision")
		}
		fs.precision, _ = strconv.Atoi(string(r[start:i]))
	}
	if i < len(r) {
		fs.typ = byte(r[i])
		i++
	}
	if i != len(r) || fs.width > maxValueSize || fs.precision > 1000 {
		return fs, pyErrf("ValueError", "invalid format specifier %q", spec)
	}
	return fs, nil
}

// formatValue is Python's format(v, spec), charged to the run at n: the
// width is paid for before the padding is built.
func (in *interp) formatValue(n *syntax.Node, v value, spec string) (string, error) {
	if spec == "" {
		return in.str(n, v)
	}
	if err := in.work(n, int64(len(spec))); err != nil {
		return "", err
	}
	fs, err := parseSpec(spec)
	if err != nil {
		return "", err
	}
	if err := in.chargeStr(n, int64(fs.width+max(fs.precision, 0))); err != nil {
		return "", err
	}
	switch x := v.(type) {
	case *strV:
		if fs.typ != 0 && fs.typ != 's' {
			return "", pyErrf("ValueError", "unknown format code '%c' for object of type 'str'", fs.typ)
		}
		s := x.s
		if fs.precision >= 0 && pyLen(s) > fs.precision {
			s = string([]rune(s)[:fs.precision])
		}
		return pad(s, fs, '<'), nil
	case bool, int64:
		i, _ := asInt(x)
		if _, isBool := x.(bool); isBool && fs.typ == 0 {
			return pad(pyStr(x), fs, '<'), nil
		}
		switch fs.typ {
		case 'e', 'E', 'f', 'F', 'g', 'G', '%':
			return formatFloat(float64(i), fs), nil
		}
		return formatInt(i, fs)
	case float64:
		switch fs.typ {
		case 0, 'e', 'E', 'f', 'F', 'g', 'G', '%', 'n':
			return formatFloat(x, fs), nil
		}
		return "", pyErrf("ValueError", "unknown format code '%c' for object of type 'float'", fs.typ)
	}
	if fs.typ == 0 || fs.typ == 's' {
		s, err := in.str(n, v)
		if err != nil {
			return "", err
		}
		return pad(s, fs, '<'), nil
	}
	return "", pyErrf("TypeError", "unsupported format string passed to %s.__format__", typeName(v))
}

func formatInt(i int64, fs fmtSpec) (string, error) {
	neg := i < 0
	u := uint64(i)
	if neg {
		u = uint64(-i)
	}
	var digits, prefix string
	switch fs.typ {
	case 0, 'd', 'n':
		digits = strconv.FormatUint(u, 10)
	case 'x':
		digits, prefix = strconv.FormatUint(u, 16), "0x"
	case 'X':
		digits, prefix = strings.ToUpper(strconv.FormatUint(u, 16)), "0X"
	case 'o':
		digits, prefix = strconv.FormatUint(u, 8), "0o"
	case 'b':
		digits, prefix = strconv.FormatUint(u, 2), "0b"
	case 'c':
		if i < 0 || i > utf8.MaxRune {
			return "", pyErrf("OverflowError", "%%c arg not in range(0x110000)")
		}
		return pad(string(rune(i)), fs, '<'), nil
	default:
		return "", pyErrf("ValueError", "unknown format code '%c' for object of type 'int'", fs.typ)
	}
	if fs.grouping != 0 {
		every := 3
		if fs.typ == 'x' || fs.typ == 'X' || fs.typ == 'o' || fs.typ == 'b' {
			every = 4
		}
		digits = group(digits, fs.grouping, every)
	}
	if !fs.alt {
		prefix = ""
	}
	return padNumber(signOf(neg, fs.sign), prefix+digits, fs), nil
}

func group(digits string, sep byte, every int) string {
	if len(digits) <= every {
		return digits
	}
	var b strings.Builder
	first := len(digits) % every
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += every {
		if b.Len() > 0 {
			b.WriteByte(sep)
		}
		b.WriteString(digits[i : i+every])
	}
	return b.String()
}

func signOf(neg bool, sign byte) string {
	switch {
	case neg:
		return "-"
	case sign == '+':
		return "+"
	case sign == ' ':
		return " "
	}
	return ""
}

func formatFloat(x float64, fs fmtSpec) string {
	neg := math.Signbit(x) && !math.IsNaN(x)
	ax := math.Abs(x)
	prec := fs.precision
	var body string
	switch fs.typ {
	case 'f', 'F':
		if prec < 0 {
			prec = 6
		}
		body = strconv.FormatFloat(ax, 'f', prec, 64)
	case 'e', 'E':
		if prec < 0 {
			prec = 6
		}
		body = strconv.FormatFloat(ax, 'e', prec, 64)
	case '%':
		if prec < 0 {
			prec = 6
		}
		body = strconv.FormatFloat(ax*100, 'f', prec, 64) + "%"
	case 'g', 'G', 'n':
		if prec < 0 {
			prec = 6
		}
		if prec == 0 {
			prec = 1
		}
		body = pyGeneral(ax, prec)
	default: // no type: like str() unless a precision is given
		if prec < 0 {
			body = floatRepr(ax)
		} else {
			if prec == 0 {
				prec = 1
			}
			body = pyGeneral(ax, prec)
			if !strings.ContainsAny(body, ".e") && !strings.Contains(body, "inf") && !strings.Contains(body, "nan") {
				body += ".0"
			}
		}
	}
	if fs.typ == 'E' || fs.typ == 'G' || fs.typ == 'F' {
		body = strings.ToUpper(body)
	}
	if fs.grouping != 0 {
		intPart, frac, hasFrac := strings.Cut(body, ".")
		if isDigits(intPart) {
			body = group(intPart, fs.grouping, 3)
			if hasFrac {
				body += "." + frac
			}
		}
	}
	return padNumber(signOf(neg, fs.sign), body, fs)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// pyGeneral formats like Python's 'g': significant digits, trailing zeros
// dropped unless alt.
func pyGeneral(x float64, prec int) string {
	if math.IsInf(x, 0) {
		return "inf"
	}
	if math.IsNaN(x) {
		return "nan"
	}
	e := strconv.FormatFloat(x, 'e', prec-1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	var s string
	if exp < -4 || exp >= prec {
		mant, ex, _ := strings.Cut(e, "e")
		if strings.Contains(mant, ".") {
			mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
		}
		s = mant + "e" + ex
	} else {
		s = strconv.FormatFloat(x, 'f', max(prec-1-exp, 0), 64)
		if strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
	}
	return s
}

// pad aligns s within the spec's width; def is the default alignment.
func pad(s string, fs fmtSpec, def byte) string {
	n := utf8.RuneCountInString(s)
	if fs.width <= n {
		return s
	}
	align := fs.align
	if align == 0 {
		align = def
	}
	fill := string(fs.fill)
	gap := fs.width - n
	switch align {
	case '>', '=':
		return strings.Repeat(fill, gap) + s
	case '^':
		return strings.Repeat(fill, gap/2) + s + strings.Repeat(fill, gap-gap/2)
	}
	return s + strings.Repeat(fill, gap)
}

// padNumber places the sign before zero padding, as '=' alignment does.
func padNumber(sign, body string, fs fmtSpec) string {
	if fs.zero && fs.align == 0 {
		fs.align, fs.fill = '=', '0'
	}
	if fs.align == '=' {
		n := utf8.RuneCountInString(sign + body)
		if fs.width > n {
			return sign + strings.Repeat(string(fs.fill), fs.width-n) + body
		}
		return sign + body
	}
	return pad(sign+body, fs, '>')
}
