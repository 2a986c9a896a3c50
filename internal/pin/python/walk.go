package python

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python/syntax"
)

// maxWalkDepth bounds how deeply the pin walk descends into values.
const maxWalkDepth = 200

// walker collects pins and findings from the values of module-level
// symbols.
type walker struct {
	in       *interp
	platform string
	onPath   map[any]bool
	reported map[any]bool
	res      *pin.Result
}

func (w *walker) walk(v value, sym, path string, depth int) error {
	if depth > maxWalkDepth {
		return nil
	}
	// A value reached by several routes is walked once per route; each
	// visit costs a step, plus its path and its keys.
	units := unitsPerStep + int64(len(path))
	switch x := v.(type) {
	case *dictV:
		units += int64(len(x.keys))
	case *instanceV:
		units += int64(len(x.attrs.keys))
	}
	if err := w.charge(sym, units, 0); err != nil {
		return err
	}
	if o, ok := w.in.incomplete[v]; ok && !w.reported[v] {
		if w.reported == nil {
			w.reported = map[any]bool{}
		}
		w.reported[v] = true
		w.unresolvedValue(sym, path, o, fmt.Sprintf("%s may be incomplete: code that adds to it depends on a value the evaluator cannot know: %s", path, o.reason))
	}
	switch x := v.(type) {
	case *opaqueV:
		if !x.harmless {
			w.unresolvedValue(sym, path, x, fmt.Sprintf("%s could not be evaluated, so pins in it may be missing: %s", path, x.reason))
		}
		return nil
	case *dictV:
		if w.onPath[x] {
			return nil
		}
		w.onPath[x] = true
		defer delete(w.onPath, x)
		if err := w.pairsCharged(sym, path, x); err != nil {
			return err
		}
		for i, k := range x.keys {
			if _, isOpaque := k.(*opaqueV); isOpaque {
				// An unknown **mapping merged into this dict.
				if err := w.walk(x.vals[i], sym, path+"[**]", depth+1); err != nil {
					return err
				}
				continue
			}
			if isPinField(k) {
				continue
			}
			if err := w.walk(x.vals[i], sym, path+"["+pathKey(k)+"]", depth+1); err != nil {
				return err
			}
		}
	case *instanceV:
		if x.class.isEnum || w.onPath[x] {
			return nil
		}
		w.onPath[x] = true
		defer delete(w.onPath, x)
		if err := w.pairsCharged(sym, path, x.attrs); err != nil {
			return err
		}
		for i, k := range x.attrs.keys {
			if isPinField(k) {
				continue
			}
			if err := w.walkField(x.attrs.vals[i], sym, path+"."+pyStr(k), depth+1); err != nil {
				return err
			}
		}
	case *listV:
		return w.walkSeq(x, x.items, sym, path, depth)
	case *tupleV:
		return w.walkSeq(x, x.items, sym, path, depth)
	case *setV:
		return w.walkSeq(x, x.d.keys, sym, path, depth)
	}
	return nil
}

// findingBytes is what one pin or finding is accounted as, besides its path.
const findingBytes = 256

// pairsCharged runs pairs and accounts the pins and findings it adds.
func (w *walker) pairsCharged(sym, path string, d *dictV) error {
	before := len(w.res.Pins) + len(w.res.Invalid) + len(w.res.Unresolved)
	w.pairs(sym, path, d)
	added := len(w.res.Pins) + len(w.res.Invalid) + len(w.res.Unresolved) - before
	return w.charge(sym, 0, int64(added)*(findingBytes+int64(len(path))))
}

// charge accounts the walk's work and memory; running out is reported as
// a budget error naming the symbol.
func (w *walker) charge(sym string, units, bytes int64) error {
	n := &syntax.Node{Line: max(1, w.in.symLine[sym]), Col: 1}
	err := w.in.work(n, units)
	if err == nil {
		err = w.in.alloc(n, bytes)
	}
	if err == nil {
		return nil
	}
	var ctxErr error
	if w.in.ctx != nil {
		ctxErr = w.in.ctx.Err()
	}
	return &pin.BudgetError{File: w.in.file, Line: n.Line, Column: 1, Err: ctxErr,
		Msg: fmt.Sprintf("walking %s for pins exceeded the evaluation budget (%d steps, %d bytes)", sym, w.in.maxSteps, w.in.maxMem)}
}

// walkField walks a record field; unknown fields that are not pin fields
// (a timestamp, a Path) are ignored rather than reported.
func (w *walker) walkField(v value, sym, path string, depth int) error {
	if _, ok := v.(*opaqueV); ok {
		return nil
	}
	return w.walk(v, sym, path, depth)
}

func (w *walker) walkSeq(c any, items []value, sym, path string, depth int) error {
	if w.onPath[c] {
		return nil
	}
	w.onPath[c] = true
	defer delete(w.onPath, c)
	for i, it := range items {
		if err := w.walk(it, sym, path+"["+strconv.Itoa(i)+"]", depth+1); err != nil {
			return err
		}
	}
	return nil
}

// digestSuffixes are the keys, after a URL key's prefix, that pairs reads
// a digest from, in order of preference. The digest's form (hex, sha256:
// prefix, SRI) says its algorithm, whatever the key.
var digestSuffixes = []string{"sha256", "sha", "sha512", "sha384", "integrity"}

// isPinField reports keys that pairs handles: *url and the digest keys.
func isPinField(k value) bool {
	s, ok := k.(*strV)
	if !ok {
		return false
	}
	if strings.HasSuffix(s.s, "url") {
		return true
	}
	for _, suffix := range digestSuffixes {
		if strings.HasSuffix(s.s, suffix) {
			return true
		}
	}
	return false
}

// pairs finds <prefix>url fields and pairs each with <prefix>sha256,
// <prefix>sha (or sha512, sha384, integrity) in the same record or
// string-keyed dict.
func (w *walker) pairs(sym, path string, d *dictV) {
	for i, k := range d.keys {
		ks, ok := k.(*strV)
		if !ok || !strings.HasSuffix(ks.s, "url") {
			continue
		}
		prefix := strings.TrimSuffix(ks.s, "url")
		var shaKey string
		var shaVal value
		found := false
		for _, suffix := range digestSuffixes {
			shaKey = prefix + suffix
			if shaVal, found = d.getStr(shaKey); found {
				break
			}
		}
		if !found {
			continue
		}
		j, _ := d.find(dictKey{tag: 's', s: shaKey})
		pinPath := path
		if name := strings.TrimRight(prefix, "_-."); name != "" {
			pinPath += "." + name
		}
		w.pair(sym, pinPath, ks.s, d.vals[i], d.spans[i], shaKey, shaVal, d.spans[j])
	}
}

func (w *walker) pair(sym, path, urlKey string, urlVal value, urlSlot pin.Span, shaKey string, shaVal value, shaSlot pin.Span) {
	if sha, ok := shaVal.(*strV); ok && !sha.span.IsZero() && w.in.star != nil {
		// Paired, reported or refused here: the sweep has nothing to add.
		w.in.star.used[sha.span.Start] = true
	}
	if o := firstOpaque(urlVal); o != nil {
		w.unresolvedAt(sym, path, urlSlot, o, urlKey)
		return
	}
	if o := firstOpaque(shaVal); o != nil {
		w.unresolvedAt(sym, path, shaSlot, o, shaKey)
		return
	}
	if urlVal == value(none) || shaVal == value(none) {
		// An optional asset that is absent in this row.
		return
	}
	url, ok := urlVal.(*strV)
	if !ok {
		w.invalid(sym, path, urlSlot, fmt.Sprintf("%s: %s is a %s, not a string", path, urlKey, typeName(urlVal)))
		return
	}
	sha, ok := shaVal.(*strV)
	if !ok {
		w.invalid(sym, path, shaSlot, fmt.Sprintf("%s: %s is a %s, not a string", path, shaKey, typeName(shaVal)))
		return
	}
	shaSpan := sha.span
	if shaSpan.IsZero() {
		shaSpan = shaSlot
	}
	digest, ok := pin.ParseDigest(sha.s)
	if !ok {
		w.invalid(sym, path, shaSpan, fmt.Sprintf("%s: %s is %s (%d characters): %s",
			path, shaKey, quoteStr(truncate(sha.s, 80)), pyLen(sha.s), pin.InvalidDigestMessage(sha.s)))
		return
	}
	urlSpan := urlSlot
	if urlSpan.IsZero() {
		urlSpan = url.span
	}
	p := pin.Pin{
		URL: url.s, Symbol: sym, Path: path,
		SHASpan: shaSpan, URLSpan: urlSpan, SHALiteral: sha.lit,
		Platforms: []string{w.platform},
	}
	p.SetDigest(digest)
	if digest.Algorithm == pin.SHA256 {
		// As written, letter case and prefix included, as the records
		// keep it: patch finds the digits to rewrite by this text.
		p.SHA256 = sha.s
	}
	w.res.Pins = append(w.res.Pins, p)
}

func (w *walker) unresolved(sym, path string, o *opaqueV, msg string) {
	w.res.Unresolved = append(w.res.Unresolved, pin.Finding{Symbol: sym, Path: path, Line: o.line, Column: o.col, Message: msg})
}

// unresolvedValue reports a value that could not be known, where pins may
// be missing (pin.Finding.Value).
func (w *walker) unresolvedValue(sym, path string, o *opaqueV, msg string) {
	w.res.Unresolved = append(w.res.Unresolved, pin.Finding{Symbol: sym, Path: path, Line: o.line, Column: o.col, Message: msg, Value: true})
}

// unresolvedAt reports a pin field that depends on an unknown value, at
// the place the field's value is written, naming where the unknown came
// from.
func (w *walker) unresolvedAt(sym, path string, slot pin.Span, o *opaqueV, key string) {
	msg := fmt.Sprintf("%s: %s depends on a value the evaluator cannot know: %s", path, key, o.reason)
	if slot.IsZero() {
		w.unresolved(sym, path, o, msg)
		return
	}
	if o.line > 0 && o.line != slot.Line {
		msg += fmt.Sprintf(" (line %d)", o.line)
	}
	w.res.Unresolved = append(w.res.Unresolved, pin.Finding{Symbol: sym, Path: path, Line: slot.Line, Column: slot.Column, Message: msg, Span: slot})
}

func (w *walker) invalid(sym, path string, sp pin.Span, msg string) {
	w.res.Invalid = append(w.res.Invalid, pin.Finding{Symbol: sym, Path: path, Line: sp.Line, Column: sp.Column, Message: msg, Span: sp})
}

// pathKey renders a dict key in a path: strings double-quoted, tuples in
// parentheses, e.g. MANIFEST[("codex", "amd64")].
func pathKey(k value) string { return pathKeyDepth(k, 0) }

// maxPathKeyDepth bounds the nesting of tuple keys shown in a path.
const maxPathKeyDepth = 8

func pathKeyDepth(k value, depth int) string {
	if depth > maxPathKeyDepth {
		return "…"
	}
	switch x := k.(type) {
	case *strV:
		return strconv.Quote(truncate(x.s, standaloneBytes))
	case *tupleV:
		parts := make([]string, min(len(x.items), 64))
		for i := range parts {
			parts[i] = pathKeyDepth(x.items[i], depth+1)
		}
		if len(x.items) > len(parts) {
			parts = append(parts, "…")
		}
		if len(parts) == 1 {
			return "(" + parts[0] + ",)"
		}
		return "(" + strings.Join(parts, ", ") + ")"
	case *instanceV:
		if x.class.isEnum {
			return x.class.name + "." + x.enumName
		}
	}
	return pyRepr(k)
}
