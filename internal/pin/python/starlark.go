package python

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// moduleSymbol is Pin.Symbol of a record written outside any def.
const moduleSymbol = "<module>"

// starlark is the state of one run's records: Bazel files pin through
// calls to rules the file only loads (http_archive(name=..., urls=[...],
// sha256=...)), so every call to an unknown function is a record made of
// its keyword arguments. Python build scripts write the same records
// (download(url=..., sha256=...)), so Python mode reads them too, from
// the calls it runs; the rest (load(), uncalled defs, both branches of an
// unknown if, the sweep) is Starlark mode's alone (full).
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
			st.w.unresolvedAt(sym, path, slot, o, pr.Digest)
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

// runUncalledDefs evaluates once the body of every top-level def the
// module did not call (Bazel's go_rules_dependencies(), called from
// another file), each parameter an unknown value naming itself, so that
// the records written there are found. Defs that other defs call by name
// run last: most are reached first, with real arguments, from their
// callers, and are not run again.
func (in *interp) runUncalledDefs(mod *syntax.Node) error {
	var defs []*syntax.Node
	calledByDefs := map[string]bool{}
	for _, st := range mod.Kids {
		if st.Kind == syntax.FunctionDefinition {
			defs = append(defs, st)
			calleeNames(st.Field(syntax.FieldBody), calledByDefs)
		}
	}
	for _, late := range []bool{false, true} {
		for _, st := range defs {
			if calledByDefs[st.Field(syntax.FieldName).Token] != late {
				continue
			}
			if err := in.runUncalledDef(st); err != nil {
				return err
			}
		}
	}
	return nil
}

func (in *interp) runUncalledDef(st *syntax.Node) error {
	fn, ok := in.globals.vars[st.Field(syntax.FieldName).Token].(*funcV)
	if !ok || fn.body != st.Field(syntax.FieldBody) || in.star.called[fn.body] {
		return nil
	}
	in.star.called[fn.body] = true
	sc := newScope(nil)
	for _, p := range fn.params {
		sc.vars[p.name] = &opaqueV{reason: fmt.Sprintf("depends on parameter `%s` of def %s", p.name, fn.name),
			line: st.Line, col: st.Col}
	}
	fr := &frame{sc: sc, fn: fn, ret: none}
	in.depth++
	_, err := in.execBlock(fr, fn.body)
	in.depth--
	var be *budgetError
	if errors.As(err, &be) {
		return be.BudgetError
	}
	// Any other error (an exception, a loop over a parameter) ends this
	// body: the records before it are kept, and the digests after it are
	// reported by the sweep.
	return nil
}

// calleeNames adds to out the names that calls under n call directly.
// Syntax nesting is bounded by the parser, so the recursion is too.
func calleeNames(n *syntax.Node, out map[string]bool) {
	if n.Kind == syntax.Call {
		if fn := n.Field(syntax.FieldFunction); fn != nil && fn.Kind == syntax.Identifier {
			out[fn.Token] = true
		}
	}
	for _, k := range n.Kids {
		calleeNames(k, out)
	}
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

// sweepDigests reports every string literal that is a digest, or looks
// like one, which no record or symbol accounted for: nothing is missed
// silently.
func (in *interp) sweepDigests(mod *syntax.Node, res *pin.Result) error {
	// A digest that reached a pin through a method or a % (a derived
	// string, spanned at its call) is accounted for by its value.
	pinned := map[string]bool{}
	for _, p := range res.Pins {
		in.star.used[p.SHASpan.Start] = true
		pinned[string(p.Algorithm)+":"+p.Digest] = true
	}
	for _, top := range mod.Kids {
		sym := moduleSymbol
		if top.Kind == syntax.FunctionDefinition {
			sym = top.Field(syntax.FieldName).Token
		}
		stack := []*syntax.Node{top}
		for len(stack) > 0 {
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if err := in.step(n); err != nil {
				return err
			}
			if n.Kind != syntax.String {
				stack = append(stack, n.Kids...)
				continue
			}
			if in.star.used[n.Start] || !plainString(in, n) {
				continue
			}
			v, err := in.evalString(nil, n)
			if err != nil {
				return err
			}
			s, ok := v.(*strV)
			if !ok {
				continue
			}
			sp := spanOf(n)
			f := pin.Finding{Symbol: sym, Line: sp.Line, Column: sp.Column, Span: sp}
			if d, ok := pin.ParseDigest(s.s); ok {
				if pinned[string(d.Algorithm)+":"+d.Hex] {
					continue
				}
				f.Message = pin.MsgNoURL
				res.Unresolved = append(res.Unresolved, f)
			} else if pin.LooksLikeDigest(s.s) {
				f.Message = pin.MsgLooksLike
				res.Invalid = append(res.Invalid, f)
			}
		}
	}
	return nil
}

// plainString reports a string literal with no interpolation and no
// bytes prefix, whose value the sweep can read without a scope.
func plainString(in *interp, n *syntax.Node) bool {
	if len(n.Kids) < 2 {
		return false
	}
	prefix := strings.ToLower(strings.TrimRight(n.Kids[0].Text(in.src), `'"`))
	return !strings.ContainsAny(prefix, "fb")
}
