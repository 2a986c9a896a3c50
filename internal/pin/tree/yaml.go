package tree

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/pindrift/pindrift/internal/pin"
)

// ParseYAML reads a YAML stream. A stream of several documents is a
// sequence of them. Aliases share the node they name (its Size counts
// every use, so an alias bomb is refused at the alias that crosses
// MaxNodes); merge keys (<<) add the entries the mapping lacks; duplicate
// keys are an error.
func ParseYAML(file string, src []byte, lim Limits) (*Node, error) {
	b, err := newBuilder(file, src, lim)
	if err != nil {
		return nil, err
	}
	return newYAMLParser(b).parse()
}

func newYAMLParser(b *builder) *yamlParser {
	return &yamlParser{builder: b, done: map[*yaml.Node]*Node{}, cur: cursor{src: b.src, lines: b.lines}}
}

func (p *yamlParser) parse() (*Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(p.src))
	var docs []*Node
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, p.yamlError(err)
		}
		n, err := p.convert(&doc, 0)
		if err != nil {
			return nil, err
		}
		docs = append(docs, n)
	}
	switch len(docs) {
	case 0:
		return &Node{Kind: Mapping, Span: p.span(0, 0), Size: 1}, nil
	case 1:
		return docs[0], nil
	}
	all := &Node{Kind: Sequence, Span: docs[0].Span, Items: docs, Size: 1}
	for _, d := range docs {
		all.Size += d.Size
	}
	return all, nil
}

type yamlParser struct {
	*builder
	// done maps the anchored nodes converted so far to their trees, so
	// that an alias shares its anchor's tree instead of copying it.
	done map[*yaml.Node]*Node
	cur  cursor
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns the parser's "yaml: line N: msg" into a SyntaxError;
// the parser gives no column.
func (p *yamlParser) yamlError(err error) error {
	msg := err.Error()
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	if line < 1 {
		line = 1
	}
	return &pin.SyntaxError{File: p.file, Line: line, Column: 1, Msg: msg}
}

func (p *yamlParser) offset(n *yaml.Node) int { return p.cur.offset(n.Line, n.Column) }

func (p *yamlParser) convert(n *yaml.Node, depth int) (*Node, error) {
	if t, ok := p.done[n]; ok {
		return t, nil
	}
	at := p.offset(n)
	if err := p.node(at, depth); err != nil {
		return nil, err
	}
	var t *Node
	var err error
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return &Node{Kind: Mapping, Span: p.span(at, at), Size: 1}, nil
		}
		return p.convert(n.Content[0], depth)
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, p.syntaxError(at, "alias to an unknown anchor")
		}
		// A cycle (an anchor used inside itself) recurses until MaxDepth.
		t, err = p.convert(n.Alias, depth+1)
		if err != nil {
			return nil, err
		}
		return t, nil
	case yaml.ScalarNode:
		t = p.yamlScalar(n, at)
	case yaml.SequenceNode:
		t = &Node{Kind: Sequence, Span: p.span(at, at+1), Size: 1}
		for _, c := range n.Content {
			v, err := p.convert(c, depth+1)
			if err != nil {
				return nil, err
			}
			t.Items = append(t.Items, v)
			t.Size += v.Size
			if err := p.expand(at, t.Size); err != nil {
				return nil, err
			}
		}
	case yaml.MappingNode:
		if t, err = p.mapping(n, at, depth); err != nil {
			return nil, err
		}
	default:
		return nil, p.syntaxError(at, fmt.Sprintf("unknown YAML node kind %d", n.Kind))
	}
	if n.Anchor != "" {
		p.done[n] = t
	}
	return t, nil
}

func (p *yamlParser) mapping(n *yaml.Node, at, depth int) (*Node, error) {
	t := &Node{Kind: Mapping, Span: p.span(at, at+1), Size: 1}
	var merges []*Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		kat := p.offset(k)
		val, err := p.convert(v, depth+1)
		if err != nil {
			return nil, err
		}
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merges = append(merges, val)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			return nil, p.syntaxError(kat, "a mapping key that is not a scalar; pindrift reads only scalar keys")
		}
		if err := p.duplicate(t, k.Value, kat); err != nil {
			return nil, err
		}
		t.add(Entry{Key: k.Value, KeySpan: p.yamlScalar(k, kat).Span, Value: val})
		t.Size += val.Size
		if err := p.expand(at, t.Size); err != nil {
			return nil, err
		}
	}
	// Explicit keys win over merged ones, and earlier merges over later.
	for _, m := range merges {
		srcs := []*Node{m}
		if m.Kind == Sequence {
			srcs = m.Items
		}
		for _, s := range srcs {
			if s.Kind != Mapping {
				return nil, p.syntaxError(at, "a merge key (<<) whose value is not a mapping")
			}
			for _, e := range s.Entries {
				if _, ok := t.find(e.Key); !ok {
					t.add(e)
					t.Size += e.Value.Size
				}
			}
			if err := p.expand(at, t.Size); err != nil {
				return nil, err
			}
		}
	}
	return t, nil
}

// yamlScalar locates a scalar's literal. The parser gives where the node
// starts (its anchor or tag, when it has one), not where it ends, so the
// end is found here: a plain or quoted scalar on one line whose text is its
// value is Literal; anything else (escapes, folded lines, block scalars)
// spans to the closing quote or the end of its first line.
func (p *yamlParser) yamlScalar(n *yaml.Node, at int) *Node {
	start := skipProperties(p.src, at)
	isString := n.ShortTag() == "!!str"
	v := n.Value
	q := 0
	switch n.Style &^ (yaml.TaggedStyle | yaml.FlowStyle) {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		q = 1
	}
	// A backslash in a double-quoted value came from an escape.
	escaped := q == 1 && p.src[start] == '"' && strings.ContainsRune(v, '\\')
	if !escaped && !strings.ContainsAny(v, "\n\r") && bytes.HasPrefix(p.src[start+q:], []byte(v)) &&
		(q == 0 || start+q+len(v) < len(p.src) && p.src[start+q+len(v)] == p.src[start]) {
		return p.scalar(start, start+q+len(v)+q, q, v, isString)
	}
	end := lineEnd(p.src, start)
	if q == 1 {
		end = quotedEnd(p.src, start)
	}
	t := p.scalar(start, end, q, v, isString)
	t.Literal = false
	return t
}

// skipProperties steps over a node's anchor (&a) and tag (!!str).
func skipProperties(src []byte, at int) int {
	for at < len(src) && (src[at] == '&' || src[at] == '!') {
		for at < len(src) && src[at] != ' ' && src[at] != '\t' && src[at] != '\n' {
			at++
		}
		for at < len(src) && (src[at] == ' ' || src[at] == '\t') {
			at++
		}
	}
	return at
}

// quotedEnd is the offset after the quoted scalar starting at start.
func quotedEnd(src []byte, start int) int {
	q := src[start]
	for i := start + 1; i < len(src); i++ {
		switch {
		case q == '"' && src[i] == '\\':
			i++
		case src[i] == q && q == '\'' && i+1 < len(src) && src[i+1] == '\'':
			i++
		case src[i] == q:
			return i + 1
		}
	}
	return len(src)
}

// lineEnd is the end of the line holding at, trailing spaces and a
// comment left out.
func lineEnd(src []byte, at int) int {
	end := at
	for end < len(src) && src[end] != '\n' && src[end] != '\r' {
		if src[end] == '#' && end > at && (src[end-1] == ' ' || src[end-1] == '\t') {
			break
		}
		end++
	}
	for end > at && (src[end-1] == ' ' || src[end-1] == '\t') {
		end--
	}
	return end
}
