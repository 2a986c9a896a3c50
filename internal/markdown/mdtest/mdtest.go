package mdtest

import (
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// Doc is a parsed Markdown document.
type Doc struct {
	// Prose is the text outside code, one entry per block (a paragraph, a
	// heading, a table cell): where GitHub would find @mentions, #1
	// references and bare URLs to link.
	Prose []string
	// Code is the content of every code span and code block, as shown.
	Code []string
	// HTML is every piece of raw HTML, inline or block.
	HTML []string
	// Links is every link and autolink destination.
	Links []string
	// Tables holds, for each table, the number of cells in its header
	// and in each body row.
	Tables [][]int
}

// Parse reads src as GitHub-flavoured Markdown.
func Parse(src string) Doc {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	source := []byte(src)
	root := md.Parser().Parse(text.NewReader(source))
	var d Doc
	var prose strings.Builder
	flush := func() {
		if s := strings.TrimSpace(prose.String()); s != "" {
			d.Prose = append(d.Prose, s)
		}
		prose.Reset()
	}
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if n.Type() == ast.TypeBlock || n.Kind() == east.KindTableCell {
			flush()
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.CodeSpan:
			var b strings.Builder
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					b.Write(t.Segment.Value(source))
				} else if s, ok := c.(*ast.String); ok {
					b.Write(s.Value)
				}
			}
			d.Code = append(d.Code, b.String())
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			var b strings.Builder
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				b.Write(seg.Value(source))
			}
			d.Code = append(d.Code, b.String())
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			var b strings.Builder
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				b.Write(seg.Value(source))
			}
			if n.HasClosure() {
				b.Write(n.ClosureLine.Value(source))
			}
			d.HTML = append(d.HTML, b.String())
		case *ast.RawHTML:
			var b strings.Builder
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				b.Write(seg.Value(source))
			}
			d.HTML = append(d.HTML, b.String())
		case *ast.Link:
			d.Links = append(d.Links, string(n.Destination))
		case *ast.AutoLink:
			d.Links = append(d.Links, string(n.URL(source)))
		case *ast.Image:
			d.Links = append(d.Links, string(n.Destination))
		case *east.Table:
			var rows []int
			for r := n.FirstChild(); r != nil; r = r.NextSibling() {
				rows = append(rows, r.ChildCount())
			}
			d.Tables = append(d.Tables, rows)
		case *ast.Text:
			prose.Write(n.Segment.Value(source))
			if n.SoftLineBreak() || n.HardLineBreak() {
				prose.WriteByte('\n')
			}
		case *ast.String:
			prose.Write(n.Value)
		}
		return ast.WalkContinue, nil
	})
	flush()
	return d
}

// ProseContains reports whether some prose (text outside code) contains s.
func (d Doc) ProseContains(s string) bool {
	for _, p := range d.Prose {
		if strings.Contains(p, s) {
			return true
		}
	}
	return false
}

// HasCode reports whether some code span or block shows s.
func (d Doc) HasCode(s string) bool {
	for _, c := range d.Code {
		if strings.Contains(c, s) {
			return true
		}
	}
	return false
}

// Hostile is text an attacker puts in an asset name, a URL, a release tag
// or a manifest path: every construct GitHub would act on, and a newline.
const Hostile = "a`b `` @alice #1 <img src=x onerror=alert(1)> [x](javascript:alert(1)) a|b\n@bob"

// HostileShown is Hostile as a reader must see it, as code: the newline
// shown as \n.
const HostileShown = "a`b `` @alice #1 <img src=x onerror=alert(1)> [x](javascript:alert(1)) a|b\\n@bob"

// forbidden must never reach prose from Hostile.
var forbidden = []string{"@alice", "@bob", "#1", "javascript:", "onerror", "<img"}

// Problems lists what in src could come from Hostile and act: forbidden
// text outside code, HTML other than the allowed prefixes, a link whose
// destination does not start with linkPrefix, a table whose rows differ in
// their number of cells.
func Problems(src, linkPrefix string, allowedHTML ...string) []string {
	d := Parse(src)
	var out []string
	for _, f := range forbidden {
		for _, p := range d.Prose {
			if strings.Contains(p, f) {
				out = append(out, "prose "+strconv.Quote(p)+" holds "+f)
			}
		}
	}
	for _, h := range d.HTML {
		ok := false
		for _, a := range allowedHTML {
			ok = ok || strings.HasPrefix(strings.TrimSpace(h), a)
		}
		if !ok {
			out = append(out, "HTML "+strconv.Quote(h))
		}
	}
	for _, l := range d.Links {
		if !strings.HasPrefix(l, linkPrefix) {
			out = append(out, "link to "+strconv.Quote(l))
		}
	}
	for _, rows := range d.Tables {
		for _, n := range rows {
			if n != rows[0] {
				out = append(out, "a table row has "+strconv.Itoa(n)+" cells, its header "+strconv.Itoa(rows[0]))
			}
		}
	}
	return out
}
