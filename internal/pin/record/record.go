// Package record finds the pins of a document tree (pin/tree): every
// mapping is a record, pin.Fields says which of its keys hold URLs and
// which digests, and Fields.Pair says which go together. It is the one
// walker of the JSON, YAML and TOML formats; it imports only pin and
// pin/tree, never verify, patch or runner.
//
// No digest is missed silently: every string scalar that is a digest
// (pin.ParseDigest), or looks like one (pin.LooksLikeDigest), anywhere in
// the document, ends in a pin, in Result.Unresolved or in Result.Invalid,
// with its own position and a reason.
package record

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/tree"
)

// Messages of the findings, one home each so that tests and callers agree.
const (
	MsgNoURL        = pin.MsgNoURL
	MsgNotURL       = "digest whose record's URL keys hold no string URL"
	MsgInvalid      = pin.MsgInvalid
	MsgLooksLike    = pin.MsgLooksLike
	MsgKey          = "digest used as a key, with no URL paired with it"
	MsgListMismatch = "a list of digests that does not pair one to one with a list of URLs"
)

// Find returns the pins root (parsed from file) promises. It stops with
// ctx's error once ctx is done, and with a *pin.BudgetError when the
// walk, aliases expanded, passes opts.MaxNodes.
func Find(ctx context.Context, file string, root *tree.Node, opts pin.Options) (*pin.Result, error) {
	w := &walker{
		ctx:      ctx,
		file:     file,
		fields:   pin.DefaultFields.With(opts.Fields),
		maxNodes: tree.LimitsOf(opts).MaxNodes,
		res:      &pin.Result{File: file, Pins: []pin.Pin{}, Unresolved: []pin.Finding{}, Invalid: []pin.Finding{}},
		used:     map[*tree.Node]bool{},
		reported: map[findingKey]bool{},
	}
	if err := w.walk(root, route{}); err != nil {
		return nil, err
	}
	sortFindings(w.res.Unresolved)
	sortFindings(w.res.Invalid)
	return w.res, nil
}

type walker struct {
	ctx      context.Context
	file     string
	fields   pin.Fields
	maxNodes int
	visits   int
	res      *pin.Result
	// used holds the digest scalars a record accounted for, so the sweep
	// for stray digests skips them.
	used map[*tree.Node]bool
	// reported drops the second report of one scalar reached through two
	// YAML aliases: one literal, one finding.
	reported map[findingKey]bool
}

type findingKey struct {
	start   int
	message string
}

// visit charges one node of the walk and polls ctx now and then.
func (w *walker) visit(n *tree.Node) error {
	w.visits++
	if w.visits > w.maxNodes {
		return &pin.BudgetError{File: w.file, Line: n.Span.Line, Column: n.Span.Column,
			Msg: fmt.Sprintf("document has more than %d nodes, aliases expanded", w.maxNodes)}
	}
	if w.visits%1024 == 0 {
		if err := w.ctx.Err(); err != nil {
			return &pin.BudgetError{File: w.file, Line: n.Span.Line, Column: n.Span.Column, Msg: "stopped: " + err.Error(), Err: err}
		}
	}
	return nil
}

func (w *walker) walk(n *tree.Node, r route) error {
	if err := w.visit(n); err != nil {
		return err
	}
	switch n.Kind {
	case tree.Mapping:
		w.record(n, r)
		for _, e := range n.Entries {
			if _, ok := pin.ParseDigest(e.Key); ok {
				w.unresolved(r, e.KeySpan, MsgKey)
			} else if pin.LooksLikeDigest(e.Key) {
				w.invalid(r, e.KeySpan, MsgLooksLike)
			}
			if err := w.walk(e.Value, r.key(e.Key)); err != nil {
				return err
			}
		}
	case tree.Sequence:
		for i, c := range n.Items {
			if err := w.walk(c, r.index(i)); err != nil {
				return err
			}
		}
	case tree.Scalar:
		w.stray(n, r)
	}
	return nil
}

// stray reports a digest no record accounted for.
func (w *walker) stray(n *tree.Node, r route) {
	if !n.String || w.used[n] {
		return
	}
	if _, ok := pin.ParseDigest(n.Value); ok {
		w.unresolved(r.parent(), n.Span, MsgNoURL)
	} else if pin.LooksLikeDigest(n.Value) {
		w.invalid(r.parent(), n.Span, MsgLooksLike)
	}
}

func (w *walker) unresolved(r route, at pin.Span, msg string) {
	if f, ok := w.finding(r, at, msg); ok {
		w.res.Unresolved = append(w.res.Unresolved, f)
	}
}

func (w *walker) invalid(r route, at pin.Span, msg string) {
	if f, ok := w.finding(r, at, msg); ok {
		w.res.Invalid = append(w.res.Invalid, f)
	}
}

func (w *walker) finding(r route, at pin.Span, msg string) (pin.Finding, bool) {
	k := findingKey{at.Start, msg}
	if w.reported[k] {
		return pin.Finding{}, false
	}
	w.reported[k] = true
	return pin.Finding{Symbol: r.symbol(), Path: r.path(), Line: at.Line, Column: at.Column, Message: msg, Span: at}, true
}

func sortFindings(fs []pin.Finding) {
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Span.Start < fs[j].Span.Start })
}

// route is the way from the document's top to a node: keys and indexes.
type route struct{ parts []string }

func (r route) key(k string) route {
	if isPlainKey(k) {
		return r.with(k)
	}
	return r.with("[" + strconv.Quote(k) + "]")
}

func (r route) index(i int) route { return r.with("[" + strconv.Itoa(i) + "]") }

func (r route) with(p string) route {
	parts := make([]string, len(r.parts), len(r.parts)+1)
	copy(parts, r.parts)
	return route{append(parts, p)}
}

func (r route) parent() route {
	if len(r.parts) == 0 {
		return r
	}
	return route{r.parts[:len(r.parts)-1]}
}

// path is the readable route, e.g. architecture.64bit or
// sources["1.2.3"]; "." is the top-level record.
func (r route) path() string {
	if len(r.parts) == 0 {
		return "."
	}
	var b strings.Builder
	for i, p := range r.parts {
		if i > 0 && !strings.HasPrefix(p, "[") {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// symbol is the route's first step, the nearest thing a data file has to
// a module-level name; "." for the top-level record.
func (r route) symbol() string {
	if len(r.parts) == 0 {
		return "."
	}
	return r.parts[0]
}

func isPlainKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c == '_' || c == '-' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
