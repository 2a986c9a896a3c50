// Package patch computes the fix for drifted pins: the manifest with the
// digest inside each drifted literal replaced by the live digest, written
// in the literal's own form (letter case, "sha256:" prefix, SRI base64),
// every other byte untouched. It is pure (bytes in, bytes out: no file
// system, no network, no GitHub) and validates its own work by extracting
// the patched bytes again. What it cannot fix safely it refuses, with a
// reason a person can act on; a caller deciding between "open a fix PR" and
// "explain in the tracking issue" reads Result.Verdict, Changes and Refused.
//
// It also words the fix, once for every place that commits it: Subject
// and CommitMessage serve both the fix pull request (fixpr) and `bot fix
// --commit` (fixlocal), which carry a Result out and import this package,
// never the reverse. patch imports pin (and pin/extract, Fix's extractor),
// verify and markdown only: never issues, remedy, report, runner or
// anything above them.
package patch

import (
	"fmt"
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
)

// Live is what verification observed for one URL.
type Live struct {
	URL    string
	Status verify.Status
	// Digest is the observed SHA-256 in lowercase hex; empty when the bytes
	// were not observed completely (missing, unreachable, refused) or the
	// URL's pins use other algorithms only.
	Digest string
	// Digests holds the observed digests under the other algorithms the
	// URL's pins use, lowercase hex by algorithm.
	Digests map[pin.Algorithm]string
}

// Sum is the live digest under a, "" when it is not known.
func (l Live) Sum(a pin.Algorithm) string {
	if a == pin.SHA256 {
		return l.Digest
	}
	return l.Digests[a]
}

// Known reports whether any live digest of the URL is known.
func (l Live) Known() bool { return l.Digest != "" || len(l.Digests) > 0 }

// LiveFromOutcomes keeps, per URL, the status and digests of verification
// outcomes (one per algorithm); findings (unresolved, invalid) have no URL
// and are skipped. Only ok and drift outcomes carry a digest a fix may use.
// A URL is drift when any of its outcomes is, else it has the status of its
// first outcome.
func LiveFromOutcomes(outcomes []verify.Outcome) map[string]Live {
	out := make(map[string]Live, len(outcomes))
	for _, o := range outcomes {
		if o.URL == "" {
			continue
		}
		l, seen := out[o.URL]
		if !seen {
			l = Live{URL: o.URL, Status: o.Status}
		} else if o.Status == verify.StatusDrift {
			l.Status = o.Status
		}
		alg := o.Algorithm
		if alg == "" {
			alg = pin.SHA256 // an outcome from before algorithms
		}
		if (o.Status == verify.StatusOK || o.Status == verify.StatusDrift) && isDigestHex(alg, o.Got) && l.Sum(alg) == "" {
			if alg == pin.SHA256 {
				l.Digest = strings.ToLower(o.Got)
			} else {
				if l.Digests == nil {
					l.Digests = map[pin.Algorithm]string{}
				}
				l.Digests[alg] = strings.ToLower(o.Got)
			}
		}
		out[o.URL] = l
	}
	return out
}

// Verdict is the decision a caller acts on.
type Verdict string

const (
	// VerdictClean: no pin drifted; there is nothing to fix.
	VerdictClean Verdict = "clean"
	// VerdictComplete: Patched fixes every drifted pin.
	VerdictComplete Verdict = "complete"
	// VerdictPartial: Patched fixes some drifted pins; Refused says why
	// the others are left alone.
	VerdictPartial Verdict = "partial"
	// VerdictRefused: pins drifted but nothing could be fixed; Refused
	// says why. Patched equals the original.
	VerdictRefused Verdict = "refused"
)

// Change is one rewritten digest literal.
type Change struct {
	// Span is the literal, quotes and prefix included (unchanged in
	// length: only the digest inside it is replaced).
	Span pin.Span
	// At is the byte offset of the replaced digest; the change touches
	// exactly the bytes [At, At+len(Old)).
	At int
	// Old and New are the digest as written in the file: 64 hex digits for
	// a sha256 hex pin, "sha512-<base64>" for an SRI one. New keeps Old's
	// form (letter case, prefix, encoding) and length.
	Old, New string
	// Algorithm and Digest are what New promises: Digest is the new digest
	// in lowercase hex.
	Algorithm pin.Algorithm
	Digest    string
	// Pins are every pin the literal feeds, as extracted before the fix.
	Pins []pin.Pin
	// URLs are the distinct URLs of Pins, in pin order.
	URLs []string
}

// Promise is what the change makes its literal promise. A Change built
// without Algorithm is read from New as sha256 hex, as every change was
// before pins had algorithms.
func (c Change) Promise() pin.Key {
	if c.Algorithm != "" {
		return pin.Key{Algorithm: c.Algorithm, Hex: strings.ToLower(c.Digest)}
	}
	if d, ok := pin.ParseDigest(c.New); ok {
		return pin.Key{Algorithm: d.Algorithm, Hex: d.Hex}
	}
	return pin.Key{Algorithm: pin.SHA256, Hex: strings.ToLower(c.New)}
}

// Reason classifies a refusal.
type Reason string

const (
	// ReasonAmbiguous: one literal feeds URLs whose live bytes differ, so
	// no single digest fixes it.
	ReasonAmbiguous Reason = "ambiguous"
	// ReasonNotLiteral: the SHA is assembled (concatenation, a variable
	// from the environment, escapes, ...) and cannot be rewritten in place.
	ReasonNotLiteral Reason = "not-literal"
	// ReasonUnverified: the literal also feeds a URL whose live digest is
	// unknown (missing, unreachable, refused, not checked), so rewriting it
	// would pin bytes nobody looked at.
	ReasonUnverified Reason = "unverified"
	// ReasonMismatch: the source text at the pin's span does not hold the
	// pinned digest exactly once between its quotes.
	ReasonMismatch Reason = "literal-mismatch"
	// ReasonValidation: extracting the patched file did not give exactly
	// the expected pins, so no change is offered at all.
	ReasonValidation Reason = "validation"
)

// URLDigest is one URL a refused literal feeds, with its live state.
type URLDigest struct {
	URL    string
	Status verify.Status // empty when the URL was not verified at all
	Digest string        // under the literal's algorithm; empty when unknown
}

// Refusal is drift left unfixed, and why.
type Refusal struct {
	Reason Reason
	// Span locates the literal (or expression) concerned; zero for a
	// validation refusal about the file as a whole.
	Span pin.Span
	// Pins are the pins concerned; URLs their URLs with live digests.
	Pins    []pin.Pin
	URLs    []URLDigest
	Message string
}

// Result is a computed fix of one file.
type Result struct {
	File     string
	Original []byte
	// Patched is the fixed file; it equals Original when Changes is empty.
	Patched []byte
	Changes []Change
	Refused []Refusal
	// Drifted counts drifted pins in the original; Fixed those Patched
	// fixes. Complete is Drifted == Fixed.
	Drifted, Fixed int
	Complete       bool
	Verdict        Verdict
}

// Clean is the Result for src when verification found none of its pins
// drifted: nothing to fix, and no need to evaluate it again.
func Clean(file string, src []byte) *Result {
	return &Result{File: file, Original: src, Patched: src, Complete: true, Verdict: VerdictClean}
}

// Changed reports whether Patched differs from Original.
func (r *Result) Changed() bool { return len(r.Changes) > 0 }

// Location is file:line:column of a span, for messages.
func Location(file string, s pin.Span) string {
	return fmt.Sprintf("%s:%d:%d", file, s.Line, s.Column)
}

// isDigestHex reports s is a digest of a in hex.
func isDigestHex(a pin.Algorithm, s string) bool {
	if a.Size() == 0 || len(s) != 2*a.Size() {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isHexDigit(s[i]) {
			return false
		}
	}
	return true
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// Unverified counts what a fix could not know the live digest of: the
// distinct URLs of res whose digest live lacks, plus the pins extraction
// could not compute (unresolved, invalid).
func Unverified(res *pin.Result, live map[string]Live) int {
	n := len(res.Unresolved) + len(res.Invalid)
	seen := map[string]bool{}
	for _, p := range res.Pins {
		if seen[p.URL] {
			continue
		}
		seen[p.URL] = true
		if !live[p.URL].Known() {
			n++
		}
	}
	return n
}
