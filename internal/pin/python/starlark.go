package python

import (
	"errors"
	"fmt"
	"slices"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// moduleSymbol is Pin.Symbol of a record written outside any def.
const moduleSymbol = "<module>"

// starlark is the state of one run's records: Bazel files pin through
// calls to rules the file only loads (http_archive(name=..., urls=[...],
// sha256=...)), so every call to an unknown function is a record made of
// its keyword arguments. Python build scripts write the same records
// (download(url=..., sha256=...)), so Python mode reads them too; load()
// and both branches of an unknown if are Starlark mode's alone (full).
type starlark struct {
	// full is Starlark mode; Python mode reads records from calls only.
	full   bool
	fields pin.Fields
	// w reports the records' pins and findings into its result, which
	// extractOne merges with the symbol walk's.
	w *walker
	// called holds the bodies of defs the module ran, which are not run
	// again with unknown parameters.
	called map[*syntax.Node]bool
	// seen drops a pin found twice, by a def called twice with the same
	// literals or by both runs of a def.
	seen map[starKey]bool
	// used holds the starts of the string literals a record or the symbol
	// walk accounted for, so the final sweep reports only the others.
	used map[int]bool
	// passThrough is set while Python mode reads the defs the module
	// never calls: there a record whose digest is unknown passes on a
	// digest written elsewhere (ImageSource(sha256=entry.sha256)), which
	// is reported where it is written if anywhere, so the record is not.
	passThrough bool
}

type starKey struct {
	url, digest  string
	shaAt, urlAt int
}

func newStarlark(in *interp, opts pin.Options, platform string) *starlark {
	return &starlark{
		fields: pin.DefaultFields.With(opts.Fields),
		w:      &walker{in: in, platform: platform, onPath: map[any]bool{}, res: &pin.Result{File: in.file}},
		called: map[*syntax.Node]bool{},
		seen:   map[starKey]bool{},
		used:   map[int]bool{},
	}
}

// bindLoad binds the names a load() statement imports to unknown values:
// the loaded file is not read.
func (in *interp) bindLoad(f *frame, args *callArgs) {
	label := "another file"
	if len(args.pos) > 0 {
		if s, ok := args.pos[0].(*strV); ok {
			label = s.s
		}
	}
	bind := func(local string, at pin.Span) {
		in.assignName(f, local, &opaqueV{reason: fmt.Sprintf("%s is loaded from %s, not evaluated", local, label),
			line: at.Line, col: at.Column})
	}
	for i, v := range args.pos {
		if s, ok := v.(*strV); ok && i > 0 {
			bind(s.s, args.posSpans[i])
		}
	}
	for i, name := range args.kwNames {
		bind(name, args.kwSpans[i])
	}
}

// ruleName is how a record's call is named in Pin.Path: the callee, or
// the rule maybe() is given.
func (in *interp) ruleName(n *syntax.Node) string {
	rule := n.Field(syntax.FieldFunction).Text(in.src)
	if argNode := n.Field(syntax.FieldArguments); rule == "maybe" && argNode != nil {
		for _, k := range argNode.Kids {
			if k.Named && k.Kind != syntax.KeywordArgument {
				rule = k.Text(in.src)
				break
			}
		}
	}
	return truncate(rule, 60)
}

// record turns the keyword arguments of a call to an unknown function
// into pins and findings, as pin/record does with a mapping. Each pin
// and finding is charged like a step and a findingBytes value, since one
// call with a long list of mirrors, run in a loop, makes many.
func (st *starlark) record(in *interp, f *frame, n *syntax.Node, args *callArgs) (err error) {
	if len(args.kwNames) == 0 {
		return nil
	}
	pairings := st.fields.Pair(args.kwNames)
	if len(pairings) == 0 {
		return nil
	}
	before := len(st.w.res.Pins) + len(st.w.res.Unresolved) + len(st.w.res.Invalid)
	defer func() {
		added := int64(len(st.w.res.Pins) + len(st.w.res.Unresolved) + len(st.w.res.Invalid) - before)
		if err == nil {
			err = in.work(n, added*unitsPerStep)
		}
		if err == nil {
			err = in.alloc(n, added*findingBytes)
		}
	}()
	sym := moduleSymbol
	if f.fn != nil {
		sym = f.fn.name
	}
	vars := map[string]string{}
	path := in.ruleName(n)
	for i, k := range args.kwNames {
		if s, ok := args.kwVals[i].(*strV); ok {
			vars[k] = s.s
			if k == "name" {
				path += fmt.Sprintf("(name=%q)", truncate(s.s, standaloneBytes))
			}
		}
	}
	for _, pr := range pairings {
		i := slices.Index(args.kwNames, pr.Digest)
		dv, slot := args.kwVals[i], args.kwSpans[i]
		if o := firstOpaque(dv); o != nil {
			if !st.passThrough {
				st.w.unresolvedAt(sym, path, slot, o, pr.Digest)
			}
			continue
		}
		sha, ok := dv.(*strV)
		if !ok {
			if dv != value(none) {
				st.w.invalid(sym, path, slot, fmt.Sprintf("%s: %s is a %s, not a string", path, pr.Digest, typeName(dv)))
			}
			continue
		}
		shaSpan := sha.span
		if shaSpan.IsZero() {
			shaSpan = slot
		}
		st.used[shaSpan.Start] = true
		digest, ok := pin.ParseDigest(sha.s)
		if !ok {
			st.w.invalid(sym, path, shaSpan, pin.InvalidDigestMessage(sha.s))
			continue
		}
		urls, stop := st.urls(sym, path, pr.URLs, args)
		if stop {
			continue
		}
		if len(urls) == 0 {
			st.w.res.Unresolved = append(st.w.res.Unresolved, pin.Finding{Symbol: sym, Path: path,
				Line: shaSpan.Line, Column: shaSpan.Column, Message: pin.MsgNoURL, Span: shaSpan})
			continue
		}
		for _, u := range urls {
			url := u.s
			if pin.HasPlaceholder(url) {
				filled, missing, ok := pin.FillTemplate(url, vars)
				if !ok {
					st.w.res.Unresolved = append(st.w.res.Unresolved, pin.Finding{Symbol: sym, Path: path,
						Line: shaSpan.Line, Column: shaSpan.Column, Message: pin.PlaceholderMessage(url, missing, u.span.Line), Span: shaSpan})
					continue
				}
				url = filled
			}
			k := starKey{url, digest.Hex, shaSpan.Start, u.span.Start}
			if st.seen[k] {
				continue
			}
			st.seen[k] = true
			p := pin.Pin{URL: url, Symbol: sym, Path: path, SHASpan: shaSpan, SHALiteral: sha.lit,
				URLSpan: u.span, Platforms: []string{st.w.platform}}
			p.SetDigest(digest)
			if digest.Algorithm == pin.SHA256 {
				// As written, letter case and prefix included, as pin/record
				// keeps it: patch finds the digits to rewrite by this text.
				p.SHA256 = sha.s
			}
			st.w.res.Pins = append(st.w.res.Pins, p)
		}
	}
	return nil
}

// urls collects the string URLs under keys, each a string or a list of
// mirrors. stop reports a URL that depends on an unknown value, already
// reported: the digest it vouches for makes no pin.
func (st *starlark) urls(sym, path string, keys []string, args *callArgs) (out []*strV, stop bool) {
	for _, k := range keys {
		i := slices.Index(args.kwNames, k)
		v, slot := args.kwVals[i], args.kwSpans[i]
		items := []value{v}
		switch x := v.(type) {
		case *listV:
			items = x.items
		case *tupleV:
			items = x.items
		}
		for _, it := range items {
			switch x := it.(type) {
			case *opaqueV:
				st.w.unresolvedAt(sym, path, slot, x, k)
				return nil, true
			case *strV:
				if x.s == "" {
					continue
				}
				if x.span.IsZero() {
					x = &strV{s: x.s, span: slot, lit: x.lit}
				}
				out = append(out, x)
			}
		}
	}
	return out, false
}

// execUnknownIf runs, in Starlark mode, every branch of an if whose
// condition is unknown (Bazel's `if not native.existing_rule(name):`),
// each for the records it writes; what the branches assign or change is
// unknown afterwards, since which of them ran is.
func (in *interp) execUnknownIf(f *frame, st *syntax.Node, o *opaqueV) error {
	blocks := []*syntax.Node{st.Field(syntax.FieldConsequence)}
	for _, alt := range st.FieldAll(syntax.FieldAlternative) {
		switch alt.Kind {
		case syntax.ElifClause:
			blocks = append(blocks, alt.Field(syntax.FieldConsequence))
		case syntax.ElseClause:
			blocks = append(blocks, alt.Field(syntax.FieldBody))
		}
	}
	jumps := false
	for _, b := range blocks {
		// A branch that returns, breaks or stops on an unknown value or
		// an exception ends there; the next branch runs all the same.
		c, err := in.execBlock(f, b)
		var of *opaqueFlow
		var pe *pyError
		if err != nil && !errors.As(err, &of) && !errors.As(err, &pe) {
			return err
		}
		jumps = jumps || c != ctrlNone
	}
	if jumps {
		// Whether the code after the if runs, and what a function
		// returns, is unknown.
		return &opaqueFlow{o}
	}
	for _, name := range mutatedNames(st) {
		if v, err := in.lookup(f, st, name); err == nil {
			in.markIncomplete(v, o)
		}
	}
	for _, name := range assignedNames(st) {
		in.assignName(f, name, o)
	}
	return nil
}
