package python

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// quoteStr quotes s the way CPython's repr does: single quotes unless the
// text holds a single quote and no double quote.
func quoteStr(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(q):
			b.WriteByte('\\')
			b.WriteByte(q)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == utf8.RuneError:
			b.WriteString(`\ufffd`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x` + hex2(int64(r)))
		case r < 0x80 || unicode.IsPrint(r):
			b.WriteRune(r)
		case r < 0x100:
			b.WriteString(`\x` + hex2(int64(r)))
		case r < 0x10000:
			b.WriteString(`\u` + leftPad(strconv.FormatInt(int64(r), 16), 4, '0'))
		default:
			b.WriteString(`\U` + leftPad(strconv.FormatInt(int64(r), 16), 8, '0'))
		}
	}
	b.WriteByte(q)
	return b.String()
}

func hex2(n int64) string { return leftPad(strconv.FormatInt(n, 16), 2, '0') }

func leftPad(s string, n int, c byte) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat(string(c), n-len(s)) + s
}

// floatRepr is CPython's repr of a float: the shortest text that reads back
// to the same value, in positional form for exponents from -4 to 15.
func floatRepr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		mant, ex, _ := strings.Cut(e, "e")
		sign := ex[0]
		digits := strings.TrimLeft(ex[1:], "0")
		if len(digits) < 2 {
			digits = leftPad(digits, 2, '0')
		}
		return mant + "e" + string(sign) + digits
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}

// decodeEscape decodes one escape_sequence token of a non-raw string.
func decodeEscape(tok string) (string, bool) {
	if len(tok) < 2 || tok[0] != '\\' {
		return tok, true
	}
	switch c := tok[1]; c {
	case '\n':
		return "", true
	case '\r':
		return "", true
	case '\\', '\'', '"':
		return string(c), true
	case 'a':
		return "\a", true
	case 'b':
		return "\b", true
	case 'f':
		return "\f", true
	case 'n':
		return "\n", true
	case 'r':
		return "\r", true
	case 't':
		return "\t", true
	case 'v':
		return "\v", true
	case 'x', 'u', 'U':
		n, err := strconv.ParseUint(tok[2:], 16, 32)
		if err != nil || n > unicode.MaxRune {
			return "", false
		}
		return string(rune(n)), true
	case '0', '1', '2', '3', '4', '5', '6', '7':
		n, err := strconv.ParseUint(tok[1:], 8, 32)
		if err != nil {
			return "", false
		}
		return string(rune(n)), true
	case 'N':
		// \N{NAME} needs the Unicode name table; the value is left unknown.
		return "", false
	}
	return tok, true
}

// runes reports whether s is pure ASCII, so that byte indexes equal Python's
// code point indexes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// pyLen is len(s) in code points.
func pyLen(s string) int {
	if isASCII(s) {
		return len(s)
	}
	return utf8.RuneCountInString(s)
}
