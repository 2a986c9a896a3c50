package record

import (
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/tree"
)

// urlValue is one URL a record names and the scalar that names it.
type urlValue struct {
	url  string
	node *tree.Node
}

// record turns the digest keys of mapping m (reached by r) into pins and
// findings, and marks the digest scalars it accounted for.
func (w *walker) record(m *tree.Node, r route) {
	keys := make([]string, len(m.Entries))
	for i, e := range m.Entries {
		keys[i] = e.Key
	}
	for _, pr := range w.fields.Pair(keys) {
		d, _ := m.Get(pr.Digest)
		switch d.Kind {
		case tree.Scalar:
			w.used[d] = true
			w.pair(d, urlsOf(m, pr.URLs), m, r)
		case tree.Sequence:
			w.pairList(d, pr.URLs, m, r)
		}
		// A mapping under a digest key (Scoop's autoupdate "hash": {"url":
		// ...}) is a record of its own, walked as such.
	}
}

// vars are the string fields of record m, which fill URL templates.
func vars(m *tree.Node) map[string]string {
	out := map[string]string{}
	for _, e := range m.Entries {
		if e.Value.Kind == tree.Scalar && e.Value.String {
			out[e.Key] = e.Value.Value
		}
	}
	return out
}

// pair makes one pin of digest scalar d with each of urls.
func (w *walker) pair(d *tree.Node, urls []urlValue, m *tree.Node, r route) {
	digest, ok := pin.ParseDigest(d.Value)
	if !ok {
		w.invalid(r, d.Span, invalidMessage(d.Value))
		return
	}
	if len(urls) == 0 {
		w.unresolved(r, d.Span, MsgNoURL)
		return
	}
	for _, u := range urls {
		url := u.url
		if pin.HasPlaceholder(url) {
			filled, missing, ok := pin.FillTemplate(url, vars(m))
			if !ok {
				w.unresolved(r, d.Span, pin.PlaceholderMessage(url, missing, u.node.Span.Line))
				continue
			}
			url = filled
		}
		p := pin.Pin{URL: url, Symbol: r.symbol(), Path: r.path(), SHASpan: d.Span, SHALiteral: d.Literal, URLSpan: u.node.Span}
		p.SetDigest(digest)
		if digest.Algorithm == pin.SHA256 {
			// As written, letter case included: patch finds the digits
			// to rewrite by this text.
			p.SHA256 = d.Value
		}
		w.res.Pins = append(w.res.Pins, p)
	}
}

// pairList pairs a list of digests with a list of URLs of the same length
// one to one, as Scoop writes several assets: "url": [a, b], "hash": [ha, hb].
func (w *walker) pairList(d *tree.Node, urlKeys []string, m *tree.Node, r route) {
	var list *tree.Node
	if len(urlKeys) == 1 {
		if u, _ := m.Get(urlKeys[0]); u.Kind == tree.Sequence {
			list = u
		}
	}
	for i, item := range d.Items {
		if item.Kind != tree.Scalar {
			continue // walked as a record or list of its own
		}
		w.used[item] = true
		switch {
		case list != nil && len(list.Items) == len(d.Items):
			w.pair(item, urlsOf(nil, nil, list.Items[i]), m, r)
		case len(d.Items) == 1:
			// One digest in a list is one digest: every URL is a mirror.
			w.pair(item, urlsOf(m, urlKeys), m, r)
		case len(urlKeys) == 0:
			w.pair(item, nil, m, r)
		default:
			if _, ok := pin.ParseDigest(item.Value); !ok {
				w.invalid(r, item.Span, invalidMessage(item.Value))
				continue
			}
			w.unresolved(r, item.Span, MsgListMismatch)
		}
	}
}

// urlsOf collects the string URLs under keys of m, each key holding a
// string or a list of mirrors, and any extra nodes given.
func urlsOf(m *tree.Node, keys []string, extra ...*tree.Node) []urlValue {
	var out []urlValue
	add := func(n *tree.Node) {
		if n.Kind == tree.Scalar && n.String && n.Value != "" {
			out = append(out, urlValue{url: n.Value, node: n})
		}
	}
	nodes := extra
	for _, k := range keys {
		n, _ := m.Get(k)
		nodes = append(nodes, n)
	}
	for _, n := range nodes {
		if n.Kind == tree.Sequence {
			for _, c := range n.Items {
				add(c)
			}
			continue
		}
		add(n)
	}
	return out
}

// invalidMessage says why s, under a digest key, is not a digest.
func invalidMessage(s string) string { return pin.InvalidDigestMessage(s) }
