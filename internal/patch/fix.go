package patch

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
)

// Fix extracts the pins of src (named file in messages) with opts, decides
// for every drifted pin whether its digest literal can be rewritten to the
// live digest, applies the rewrites and validates them by extracting the
// patched bytes again with the same opts. live maps URL to what
// verification observed; a pin is drifted when its URL's live digest under
// the pin's algorithm is known and differs from the pin.
//
// The error is the original file's extraction error (*pin.SyntaxError
// and friends): unusable input. Everything about the fix itself, including a
// failed validation, is reported in the Result.
//
// Fix evaluates in process, as the CLI does on the user's own files; the
// App evaluates repository content through FixWith and its sandbox.
func Fix(ctx context.Context, file string, src []byte, opts pin.Options, live map[string]Live) (*Result, error) {
	return FixWith(ctx, extract.File, file, src, opts, live)
}

// FixWith is Fix with both extractions (the original and the patched
// bytes) done by extract.
func FixWith(ctx context.Context, extract pin.ExtractFunc, file string, src []byte, opts pin.Options, live map[string]Live) (*Result, error) {
	res, err := extract(ctx, file, src, opts)
	if err != nil {
		return nil, fmt.Errorf("patch %s: %w", file, err)
	}
	return fixExtracted(ctx, extract, file, src, opts, res, live), nil
}

func fixExtracted(ctx context.Context, extract pin.ExtractFunc, file string, src []byte, opts pin.Options, res *pin.Result, live map[string]Live) *Result {
	out := &Result{File: file, Original: src, Patched: src}
	drifted := func(p pin.Pin) bool {
		k := p.Key()
		got := live[p.URL].Sum(k.Algorithm)
		return got != "" && got != k.Hex
	}
	for _, p := range res.Pins {
		if drifted(p) {
			out.Drifted++
		}
	}

	var edits []edit
	for _, g := range groupBySpan(res.Pins) {
		n := 0
		for _, p := range g.pins {
			if drifted(p) {
				n++
			}
		}
		if n == 0 {
			continue
		}
		e, ref := planLiteral(file, src, g, live)
		if ref != nil {
			out.Refused = append(out.Refused, *ref)
			continue
		}
		e.drifted = n
		edits = append(edits, e)
	}

	if len(edits) > 0 {
		patched := apply(src, edits)
		if msg := validate(ctx, extract, file, patched, opts, res, edits); msg != "" {
			var pins []pin.Pin
			for _, e := range edits {
				pins = append(pins, e.change.Pins...)
			}
			out.Refused = append(out.Refused, Refusal{
				Reason:  ReasonValidation,
				Pins:    pins,
				Message: fmt.Sprintf("%s: the patched file does not extract to the expected pins, so no change is offered: %s", file, msg),
			})
		} else {
			out.Patched = patched
			for _, e := range edits {
				out.Changes = append(out.Changes, e.change)
				out.Fixed += e.drifted
			}
		}
	}

	sort.SliceStable(out.Refused, func(i, j int) bool { return out.Refused[i].Span.Start < out.Refused[j].Span.Start })
	out.Complete = out.Fixed == out.Drifted
	switch {
	case out.Drifted == 0:
		out.Verdict = VerdictClean
	case out.Complete:
		out.Verdict = VerdictComplete
	case out.Fixed > 0:
		out.Verdict = VerdictPartial
	default:
		out.Verdict = VerdictRefused
	}
	return out
}

type group struct {
	span pin.Span
	pins []pin.Pin
}

// groupBySpan gathers the pins fed by each literal, ordered by position in
// the file. A pin without a span is a group of its own.
func groupBySpan(pins []pin.Pin) []group {
	idx := map[[2]int]int{}
	var gs []group
	for _, p := range pins {
		if p.SHASpan.IsZero() {
			gs = append(gs, group{span: p.SHASpan, pins: []pin.Pin{p}})
			continue
		}
		k := [2]int{p.SHASpan.Start, p.SHASpan.End}
		i, ok := idx[k]
		if !ok {
			i = len(gs)
			idx[k] = i
			gs = append(gs, group{span: p.SHASpan})
		}
		gs[i].pins = append(gs[i].pins, p)
	}
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].span.Start < gs[j].span.Start })
	return gs
}

// planLiteral decides the fate of one literal with at least one drifted
// pin: a change, or a refusal.
func planLiteral(file string, src []byte, g group, live map[string]Live) (edit, *Refusal) {
	loc := Location(file, g.span)
	var urls []string
	seen := map[string]bool{}
	for _, p := range g.pins {
		if !seen[p.URL] {
			seen[p.URL] = true
			urls = append(urls, p.URL)
		}
	}
	// A literal writes one digest, so its pins share its algorithm.
	want := g.pins[0].Key()
	states := make([]URLDigest, len(urls))
	for i, u := range urls {
		l := live[u]
		states[i] = URLDigest{URL: u, Status: l.Status, Digest: l.Sum(want.Algorithm)}
	}
	refuse := func(r Reason, format string, args ...any) (edit, *Refusal) {
		return edit{}, &Refusal{Reason: r, Span: g.span, Pins: g.pins, URLs: states, Message: loc + ": " + fmt.Sprintf(format, args...)}
	}

	for _, p := range g.pins {
		if g.span.IsZero() || !p.SHALiteral {
			return refuse(ReasonNotLiteral,
				"the %s of %s is not one plain string literal (it is assembled from parts, escapes or a variable), so it cannot be rewritten in place; update it by hand (%s)",
				p.Key().Algorithm.Title(), p.Path, describeStates(states))
		}
		if p.Key() != want {
			return refuse(ReasonMismatch, "the pins of one literal promise different digests (%s and %s); refusing to rewrite it",
				describeKey(want), describeKey(p.Key()))
		}
	}
	var unknown []string
	digests := map[string]bool{}
	for _, s := range states {
		if s.Digest == "" {
			st := string(s.Status)
			if st == "" {
				st = "not verified"
			}
			unknown = append(unknown, fmt.Sprintf("%s (%s)", s.URL, st))
			continue
		}
		digests[s.Digest] = true
	}
	if len(unknown) > 0 {
		return refuse(ReasonUnverified,
			"the literal also pins %s, whose live bytes were not observed, so rewriting it would pin bytes nobody checked (%s)",
			strings.Join(unknown, ", "), describeStates(states))
	}
	if len(digests) > 1 {
		return refuse(ReasonAmbiguous,
			"one literal pins URLs whose live bytes now differ, so no single digest fixes it; give each URL its own literal (%s)",
			describeStates(states))
	}
	digest := states[0].Digest

	at, written, form, err := locateDigest(src, g.span, want)
	if err != nil {
		return refuse(ReasonMismatch, "%v; refusing to rewrite it", err)
	}
	// The same algorithm in the same form has the same length, so no
	// offset after the literal moves; anything else is a bug to refuse.
	if n := form.Format(digest); len(n) != len(written) {
		return refuse(ReasonMismatch, "the new digest %s is not as long as %s; refusing to rewrite it", n, written)
	}
	return edit{change: Change{
		Span:      g.span,
		At:        at,
		Old:       written,
		New:       form.Format(digest),
		Algorithm: want.Algorithm,
		Digest:    digest,
		Pins:      g.pins,
		URLs:      urls,
	}}, nil
}

func describeKey(k pin.Key) string { return string(k.Algorithm) + " " + k.Hex }

// describeStates lists each URL with its live digest, for messages.
func describeStates(states []URLDigest) string {
	parts := make([]string, len(states))
	for i, s := range states {
		d := s.Digest
		if d == "" {
			d = "unknown"
		}
		parts[i] = fmt.Sprintf("%s is now %s", s.URL, d)
	}
	return strings.Join(parts, "; ")
}
