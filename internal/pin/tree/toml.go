package tree

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// ParseTOML reads a TOML document into one mapping: [table] headers and
// dotted keys make nested mappings, [[array]] headers sequences of them.
// A key given a value twice is an error; a [table] named twice is merged
// (stricter TOML parsers refuse it, but no pin is ambiguous there).
func ParseTOML(file string, src []byte, lim Limits) (*Node, error) {
	b, err := newBuilder(file, src, lim)
	if err != nil {
		return nil, err
	}
	p := &tomlParser{builder: b}
	root := &Node{Kind: Mapping, Span: b.span(0, 0), Size: 1}
	current := root
	p.toml.Reset(src)
	for p.toml.NextExpression() {
		expr := p.toml.Expression()
		switch expr.Kind {
		case unstable.KeyValue:
			err = p.keyValue(current, expr, p.depthOf(current))
		case unstable.Table:
			current, err = p.table(root, expr, false)
		case unstable.ArrayTable:
			current, err = p.table(root, expr, true)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := p.toml.Error(); err != nil {
		return nil, p.tomlError(err)
	}
	sizeOf(root)
	return root, nil
}

type tomlParser struct {
	*builder
	toml unstable.Parser
	// depth records how deep each table made by a header or dotted key
	// sits, for the nesting limit.
	depth map[*Node]int
}

func (p *tomlParser) depthOf(n *Node) int { return p.depth[n] }

func (p *tomlParser) at(r unstable.Range) int { return int(r.Offset) }

func (p *tomlParser) tomlError(err error) error {
	var pe *unstable.ParserError
	at := 0
	msg := err.Error()
	if errors.As(err, &pe) {
		// Highlight is a slice of src: its capacity says where it starts.
		if off := cap(p.src) - cap(pe.Highlight); off >= 0 && off <= len(p.src) {
			at = off
		}
		msg = pe.Message
	}
	return p.syntaxError(at, msg)
}

// keyPath reads a (dotted) key: its parts and the offset of each.
func keyPath(it unstable.Iterator) (parts []string, at []unstable.Range) {
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
		at = append(at, it.Node().Raw)
	}
	return parts, at
}

// descend walks from m through the mappings named by parts, making the
// missing ones; a part naming an array of tables enters its last table.
func (p *tomlParser) descend(m *Node, parts []string, at []unstable.Range, depth int) (*Node, int, error) {
	for i, k := range parts {
		depth++
		next, _ := m.Get(k)
		switch {
		case next == nil:
			if err := p.node(p.at(at[i]), depth); err != nil {
				return nil, 0, err
			}
			next = &Node{Kind: Mapping, Span: p.span(p.at(at[i]), p.at(at[i])+int(at[i].Length))}
			m.add(Entry{Key: k, KeySpan: next.Span, Value: next})
		case next.Kind == Sequence && len(next.Items) > 0 && next.Items[len(next.Items)-1].Kind == Mapping:
			next = next.Items[len(next.Items)-1]
		case next.Kind != Mapping:
			return nil, 0, p.syntaxError(p.at(at[i]), fmt.Sprintf("key %q already holds a value that is not a table", k))
		}
		m = next
	}
	if p.depth == nil {
		p.depth = map[*Node]int{}
	}
	p.depth[m] = depth
	return m, depth, nil
}

func (p *tomlParser) table(root *Node, expr *unstable.Node, array bool) (*Node, error) {
	parts, at := keyPath(expr.Key())
	if !array {
		t, _, err := p.descend(root, parts, at, 0)
		return t, err
	}
	last := len(parts) - 1
	parent, depth, err := p.descend(root, parts[:last], at[:last], 0)
	if err != nil {
		return nil, err
	}
	off := p.at(at[last])
	seq, _ := parent.Get(parts[last])
	if seq == nil {
		if err := p.node(off, depth+1); err != nil {
			return nil, err
		}
		seq = &Node{Kind: Sequence, Span: p.span(off, off+int(at[last].Length))}
		parent.add(Entry{Key: parts[last], KeySpan: seq.Span, Value: seq})
	} else if seq.Kind != Sequence {
		return nil, p.syntaxError(off, fmt.Sprintf("key %q already holds a value that is not an array of tables", parts[last]))
	}
	if err := p.node(off, depth+2); err != nil {
		return nil, err
	}
	// The header has no range of its own: the element is placed at its
	// last key.
	t := &Node{Kind: Mapping, Span: p.span(off, off+int(at[last].Length))}
	seq.Items = append(seq.Items, t)
	p.depth[t] = depth + 2
	return t, nil
}

func (p *tomlParser) keyValue(m *Node, expr *unstable.Node, depth int) error {
	parts, at := keyPath(expr.Key())
	last := len(parts) - 1
	parent, depth, err := p.descend(m, parts[:last], at[:last], depth)
	if err != nil {
		return err
	}
	koff := p.at(at[last])
	if err := p.duplicate(parent, parts[last], koff); err != nil {
		return err
	}
	v, err := p.value(expr.Value(), depth+1)
	if err != nil {
		return err
	}
	parent.add(Entry{Key: parts[last], KeySpan: p.span(koff, koff+int(at[last].Length)), Value: v})
	return nil
}

func (p *tomlParser) value(v *unstable.Node, depth int) (*Node, error) {
	off := p.at(v.Raw)
	if err := p.node(off, depth); err != nil {
		return nil, err
	}
	switch v.Kind {
	case unstable.String:
		raw := string(p.toml.Raw(v.Raw))
		q := 1
		if strings.HasPrefix(raw, `"""`) || strings.HasPrefix(raw, "'''") {
			q = 3
		}
		return p.scalar(off, off+len(raw), q, string(v.Data), true), nil
	case unstable.Array:
		t := &Node{Kind: Sequence, Span: p.span(off, off+1)}
		for it := v.Children(); it.Next(); {
			c := it.Node()
			if c.Kind == unstable.Comment {
				continue
			}
			item, err := p.value(c, depth+1)
			if err != nil {
				return nil, err
			}
			t.Items = append(t.Items, item)
		}
		return t, nil
	case unstable.InlineTable:
		t := &Node{Kind: Mapping, Span: p.span(off, off+1)}
		for it := v.Children(); it.Next(); {
			c := it.Node()
			if c.Kind != unstable.KeyValue {
				continue
			}
			if err := p.keyValue(t, c, depth); err != nil {
				return nil, err
			}
		}
		return t, nil
	}
	raw := string(p.toml.Raw(v.Raw))
	return p.scalar(off, off+len(raw), 0, raw, false), nil
}

// sizeOf fills Size bottom-up once the document is whole: tables grow
// after they are made, so it cannot be counted as they are.
func sizeOf(n *Node) int {
	n.Size = 1
	for _, e := range n.Entries {
		n.Size += sizeOf(e.Value)
	}
	for _, c := range n.Items {
		n.Size += sizeOf(c)
	}
	return n.Size
}
