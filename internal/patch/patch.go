// Package patch computes the fix for drifted pins: the manifest with the
// 64 hex digits inside each drifted SHA literal replaced by the live digest,
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
	// were not observed completely (missing, unreachable, refused).
	Digest string
}

// Known reports whether the live digest of the URL is known.
func (l Live) Known() bool { return l.Digest != "" }

// LiveFromOutcomes keeps, per URL, the status and digest of verification
// outcomes; findings (unresolved, invalid) have no URL and are skipped.
// Only ok and drift outcomes carry a digest a fix may use.
func LiveFromOutcomes(outcomes []verify.Outcome) map[string]Live {
	out := make(map[string]Live, len(outcomes))
	for _, o := range outcomes {
		if o.URL == "" {
			continue
		}
		if _, dup := out[o.URL]; dup {
			continue
		}
		l := Live{URL: o.URL, Status: o.Status}
		if (o.Status == verify.StatusOK || o.Status == verify.StatusDrift) && isHex64(o.Got) {
			l.Digest = strings.ToLower(o.Got)
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

// Change is one rewritten SHA literal.
type Change struct {
	// Span is the literal, quotes and prefix included (unchanged in
	// length: only the 64 digits inside it are replaced).
	Span pin.Span
	// At is the byte offset of the replaced digits; the change touches
	// exactly the bytes [At, At+64).
	At int
	// Old and New are the digits as written in the file (New keeps Old's
	// letter case).
	Old, New string
	// Pins are every pin the literal feeds, as extracted before the fix.
	Pins []pin.Pin
	// URLs are the distinct URLs of Pins, in pin order.
	URLs []string
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
	// pinned SHA exactly once between its quotes.
	ReasonMismatch Reason = "literal-mismatch"
	// ReasonValidation: extracting the patched file did not give exactly
	// the expected pins, so no change is offered at all.
	ReasonValidation Reason = "validation"
)

// URLDigest is one URL a refused literal feeds, with its live state.
type URLDigest struct {
	URL    string
	Status verify.Status // empty when the URL was not verified at all
	Digest string        // empty when unknown
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

// Changed reports whether Patched differs from Original.
func (r *Result) Changed() bool { return len(r.Changes) > 0 }

// Location is file:line:column of a span, for messages.
func Location(file string, s pin.Span) string {
	return fmt.Sprintf("%s:%d:%d", file, s.Line, s.Column)
}

func isHex64(s string) bool {
	if len(s) != 64 {
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
