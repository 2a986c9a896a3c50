package pin

import (
	"slices"
	"strings"
)

// FillTemplate replaces the {name} placeholders of s with vars[name], as
// Python's str.format does with keyword arguments ({{ and }} stand for
// braces). It is how a record such as {"urls": ["https://x/v{version}.tgz"],
// "version": "1.2"} names its URL. missing lists the placeholders vars
// lacks, in order and once each; s is returned unchanged when any is
// missing or a brace is unbalanced (ok false).
func FillTemplate(s string, vars map[string]string) (filled string, missing []string, ok bool) {
	if !strings.ContainsAny(s, "{}") {
		return s, nil, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '{' && i+1 < len(s) && s[i+1] == '{', c == '}' && i+1 < len(s) && s[i+1] == '}':
			b.WriteByte(c)
			i++
		case c == '{':
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return s, missing, false
			}
			name := s[i+1 : i+end]
			if !isIdentifier(name) {
				return s, missing, false
			}
			if v, found := vars[name]; found {
				b.WriteString(v)
			} else if !slices.Contains(missing, name) {
				missing = append(missing, name)
			}
			i += end
		case c == '}':
			return s, missing, false
		default:
			b.WriteByte(c)
		}
	}
	if len(missing) > 0 {
		return s, missing, false
	}
	return b.String(), nil, true
}

// HasPlaceholder reports whether s holds a {name} placeholder.
func HasPlaceholder(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '{' {
			if i+1 < len(s) && s[i+1] == '{' {
				i++
				continue
			}
			if end := strings.IndexByte(s[i:], '}'); end > 0 && isIdentifier(s[i+1:i+end]) {
				return true
			}
		}
	}
	return false
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
