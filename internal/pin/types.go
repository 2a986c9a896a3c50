// Package pin is pindrift's model of a pin: a promise, written somewhere in
// a repository, that the bytes at a URL hash to a digest. It holds the
// types every format's extractor returns (Pin, Span, Finding, Result), the
// options they take and the errors they report, and nothing else.
//
// pin is the bottom of the pin engine: it imports no parser and no other
// pindrift package. The format packages beneath it (pin/python) import it;
// pin/extract chooses among them; everything above (verify, patch,
// sandbox, runner, cmd/bot) uses these types and never a format's own.
package pin

import (
	"fmt"
	"sort"
)

// Span locates a piece of source text. Start and End are byte offsets
// (End exclusive); Line and Column are 1-based, Column counting bytes.
type Span struct {
	Start  int `json:"start"`
	End    int `json:"end"`
	Line   int `json:"line"`
	Column int `json:"column"`
}

// IsZero reports whether the span locates nothing.
func (s Span) IsZero() bool { return s == Span{} }

// Pin is one promise found in a manifest: the bytes at URL hash to Digest
// under Algorithm.
type Pin struct {
	// File is the path of the manifest the pin was found in, as the
	// extractor was given it: one report can cover several files.
	File string `json:"file,omitempty"`
	URL  string `json:"url"`
	// SHA256 is the digest of a sha256 pin as written, for the consumers
	// that have always read it; empty for other algorithms.
	SHA256 string `json:"sha256,omitempty"`
	// Algorithm, Digest (lowercase hex) and Encoding say what the pin
	// promises and how the file writes it (see Digest).
	Algorithm Algorithm `json:"algorithm"`
	Digest    string    `json:"digest"`
	Encoding  Encoding  `json:"encoding"`
	// Symbol is the module-level name the pin was reached from.
	Symbol string `json:"symbol"`
	// Path is a readable route from Symbol to the record holding the pin,
	// e.g. MANIFEST[("codex", "amd64")].rootfs.
	Path string `json:"path"`
	// SHASpan is the span of the string literal, quotes and prefix
	// included, that writes the digest, whatever its encoding.
	SHASpan Span `json:"sha_span"`
	// SHALiteral reports that SHASpan is one plain string literal whose
	// text between the quotes is exactly the digest as written, so it can
	// be rewritten in place. It is false for a SHA assembled from parts or escapes.
	SHALiteral bool `json:"sha_literal"`
	// URLSpan is the span of the expression that produced the URL.
	URLSpan Span `json:"url_span"`
	// Platforms lists the platform models under which the pin was found.
	Platforms []string `json:"platforms,omitempty"`
}

// SetDigest records d as what p promises.
func (p *Pin) SetDigest(d Digest) {
	p.Algorithm, p.Digest, p.Encoding = d.Algorithm, d.Hex, d.Encoding
	p.SHA256 = ""
	if d.Algorithm == SHA256 {
		p.SHA256 = d.String()
	}
}

// Finding is a pin that could not be used: its URL or SHA depends on a
// value the evaluator cannot know (unresolved), or its SHA is not 64 hex
// digits (invalid).
type Finding struct {
	// File is the manifest's path, as for Pin.
	File    string `json:"file,omitempty"`
	Symbol  string `json:"symbol,omitempty"`
	Path    string `json:"path,omitempty"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
	// Span is the span of the offending expression, when known.
	Span Span `json:"span"`
	// Value reports a finding about a value the evaluator could not know
	// (an imported name, a call it cannot run, a container that code it
	// cannot follow adds to) rather than about a digest or URL literal:
	// pins may be missing there, but no digest is left unpaired.
	Value bool `json:"value,omitempty"`
}

// Where is "file:line:column", or file alone for a finding about the
// whole module (a symbol that is not defined anywhere has no position).
func (f Finding) Where(file string) string {
	if f.Line <= 0 {
		return file
	}
	return fmt.Sprintf("%s:%d:%d", file, f.Line, f.Column)
}

// Result is what Extract found in one file.
type Result struct {
	File       string    `json:"file"`
	Pins       []Pin     `json:"pins"`
	Unresolved []Finding `json:"unresolved"`
	Invalid    []Finding `json:"invalid"`
}

// Unique returns the distinct (url, digest) pairs of r's pins, sorted by
// URL, algorithm and digest, keeping the first pin of each pair. Pins of
// one URL under two algorithms are two pairs: each is checked.
func (r *Result) Unique() []Pin {
	type urlKey struct {
		url string
		key Key
	}
	seen := make(map[urlKey]bool, len(r.Pins))
	out := make([]Pin, 0, len(r.Pins))
	for _, p := range r.Pins {
		k := urlKey{p.URL, p.Key()}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].URL != out[j].URL {
			return out[i].URL < out[j].URL
		}
		ki, kj := out[i].Key(), out[j].Key()
		if ki.Algorithm != kj.Algorithm {
			return ki.Algorithm < kj.Algorithm
		}
		return ki.Hex < kj.Hex
	})
	return out
}

// SyntaxError reports source that tree-sitter could not parse.
type SyntaxError struct {
	File   string
	Line   int
	Column int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d:%d: syntax error: %s", e.File, e.Line, e.Column, e.Msg)
}

// TooLargeError reports a file over the size cap.
type TooLargeError struct {
	File string
	// Size is the file's real size, -1 when only a read past the limit
	// is known (a pipe, or a file that was not read whole).
	Size  int
	Limit int
}

func (e *TooLargeError) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("%s: file is over the %d-byte limit", e.File, e.Limit)
	}
	return fmt.Sprintf("%s: file is %d bytes, over the %d-byte limit", e.File, e.Size, e.Limit)
}

// BudgetError reports an evaluation that ran out of steps, memory or call
// depth, or a value over the size cap, naming the line where it was when
// it stopped (and the loop it was in).
type BudgetError struct {
	File   string
	Line   int
	Column int
	Msg    string
	// Err is the context's error when the run was stopped from outside.
	Err error
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

func (e *BudgetError) Unwrap() error { return e.Err }

// SetFile records file as r's file and the file of each of its pins and
// findings.
func (r *Result) SetFile(file string) {
	r.File = file
	for i := range r.Pins {
		r.Pins[i].File = file
	}
	for i := range r.Unresolved {
		r.Unresolved[i].File = file
	}
	for i := range r.Invalid {
		r.Invalid[i].File = file
	}
}

// Merge gathers the pins and findings of results (nil ones skipped), each
// still naming its file, for one verification over several files: an
// asset pinned in two of them is then fetched once.
func Merge(results ...*Result) *Result {
	all := &Result{}
	for _, r := range results {
		if r == nil {
			continue
		}
		all.Pins = append(all.Pins, r.Pins...)
		all.Unresolved = append(all.Unresolved, r.Unresolved...)
		all.Invalid = append(all.Invalid, r.Invalid...)
	}
	return all
}
