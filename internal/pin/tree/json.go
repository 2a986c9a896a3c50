package tree

import (
	"encoding/json"
	"fmt"
)

// ParseJSON reads one JSON document. Duplicate keys are an error: which
// of the two values a consumer reads is up to its parser.
func ParseJSON(file string, src []byte, lim Limits) (*Node, error) {
	b, err := newBuilder(file, src, lim)
	if err != nil {
		return nil, err
	}
	p := &jsonParser{builder: b}
	if len(src) >= 3 && string(src[:3]) == "\uFEFF" {
		p.pos = 3 // a byte order mark is not part of the document
	}
	root, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(src) {
		return nil, p.syntaxError(p.pos, fmt.Sprintf("unexpected %q after the top-level value", src[p.pos]))
	}
	return root, nil
}

// jsonParser is a small recursive-descent scanner: encoding/json knows
// where a token ends but not where a string literal starts, and spans are
// the point.
type jsonParser struct {
	*builder
	pos int
}

func (p *jsonParser) space() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (*Node, error) {
	p.space()
	if p.pos >= len(p.src) {
		return nil, p.syntaxError(p.pos, "unexpected end of input, want a value")
	}
	if err := p.node(p.pos, depth); err != nil {
		return nil, err
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		start := p.pos
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return p.scalar(start, p.pos, 1, s, true), nil
	default:
		start := p.pos
		for p.pos < len(p.src) && isJSONWord(p.src[p.pos]) {
			p.pos++
		}
		word := p.src[start:p.pos]
		if len(word) == 0 || !json.Valid(word) {
			if len(word) == 0 {
				word = p.src[start : start+1]
			}
			return nil, p.syntaxError(start, fmt.Sprintf("invalid value %q", word))
		}
		return p.scalar(start, p.pos, 0, string(word), false), nil
	}
}

func isJSONWord(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '+' || c == '.'
}

func (p *jsonParser) object(depth int) (*Node, error) {
	n := &Node{Kind: Mapping, Span: p.span(p.pos, p.pos+1), Size: 1}
	p.pos++
	p.space()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		return n, nil
	}
	for {
		p.space()
		if p.pos >= len(p.src) || p.src[p.pos] != '"' {
			return nil, p.syntaxError(p.pos, "want a string key")
		}
		kstart := p.pos
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		kspan := p.span(kstart, p.pos)
		if err := p.duplicate(n, key, kstart); err != nil {
			return nil, err
		}
		p.space()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return nil, p.syntaxError(p.pos, "want ':' after an object key")
		}
		p.pos++
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n.add(Entry{Key: key, KeySpan: kspan, Value: v})
		n.Size += v.Size
		if done, err := p.next('}'); done || err != nil {
			return n, err
		}
	}
}

func (p *jsonParser) array(depth int) (*Node, error) {
	n := &Node{Kind: Sequence, Span: p.span(p.pos, p.pos+1), Size: 1}
	p.pos++
	p.space()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		return n, nil
	}
	for {
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n.Items = append(n.Items, v)
		n.Size += v.Size
		if done, err := p.next(']'); done || err != nil {
			return n, err
		}
	}
}

// next consumes the ',' between elements or the closing delimiter.
func (p *jsonParser) next(closing byte) (done bool, err error) {
	p.space()
	if p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ',':
			p.pos++
			return false, nil
		case closing:
			p.pos++
			return true, nil
		}
	}
	return true, p.syntaxError(p.pos, fmt.Sprintf("want ',' or %q", closing))
}

// str scans the string literal at p.pos and returns its value.
func (p *jsonParser) str() (string, error) {
	start := p.pos
	escaped := false
	for i := start + 1; i < len(p.src); i++ {
		switch c := p.src[i]; {
		case c == '"':
			p.pos = i + 1
			if !escaped {
				return string(p.src[start+1 : i]), nil
			}
			var s string
			if err := json.Unmarshal(p.src[start:p.pos], &s); err != nil {
				return "", p.syntaxError(start, fmt.Sprintf("invalid string: %v", err))
			}
			return s, nil
		case c == '\\':
			escaped = true
			i++
		case c < 0x20:
			return "", p.syntaxError(i, "control character in a string")
		}
	}
	return "", p.syntaxError(start, "unterminated string")
}
