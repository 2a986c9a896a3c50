package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/shortsha"
	"github.com/pindrift/pindrift/internal/verify"
)

// WriteText prints the human report: one block per URL that is not ok,
// then a summary line. Drift comes first and is spelt out in full.
func WriteText(w io.Writer, res *pin.Result, rep *verify.Report) error {
	ew := &errWriter{w: w}
	writeBlocks(ew, res, rep)
	ew.printf("%s\n", summaryLine(rep.Summary))
	return ew.err
}

// writeBlocks prints a block per outcome of rep that is not ok, worst
// first.
func writeBlocks(ew *errWriter, res *pin.Result, rep *verify.Report) {
	for _, status := range []verify.Status{verify.StatusDrift, verify.StatusMissing, verify.StatusUnreachable,
		verify.StatusRefused, verify.StatusUnresolved, verify.StatusInvalid} {
		if status == verify.StatusUnresolved {
			// Before the findings it counts.
			if line := unpairedLine(res); line != "" {
				ew.printf("%s\n\n", line)
			}
		}
		for _, o := range rep.Outcomes {
			if o.Status == status {
				writeHumanBlock(ew, res.File, &o)
			}
		}
	}
}

// summaryLine is the verdict and the counts of s, on one line.
func summaryLine(s verify.Summary) string {
	return verdict(s) + " — " + counts(s)
}

// verdict is what s means for the user, in a few words.
func verdict(s verify.Summary) string {
	verdict := "OK: every pin matches"
	switch {
	case s.Drift > 0:
		verdict = "DRIFT: " + Count(s.Drift, "asset changed", "assets changed")
	case s.Missing > 0:
		// The URL answers that the file is gone: not a flaky fetch, and
		// nobody can download it. Still exit 2: nothing drifted.
		verdict = fmt.Sprintf("MISSING: %s no longer %s (upload the file again, or change the pin)",
			Count(s.Missing, "pinned asset", "pinned assets"), plural(s.Missing, "exists", "exist"))
	case s.Unverified() > 0:
		verdict = fmt.Sprintf("INCOMPLETE: %d could not be verified", s.Unverified())
	}
	return verdict
}

// counts is s, status by status.
func counts(s verify.Summary) string {
	urls := s.OK + s.Drift + s.Missing + s.Unreachable + s.Refused
	return fmt.Sprintf("%s: %d ok, %d drift, %d missing, %d unreachable, %d refused; %d unresolved, %d invalid",
		Count(urls, "URL", "URLs"), s.OK, s.Drift, s.Missing, s.Unreachable, s.Refused, s.Unresolved, s.Invalid)
}

func writeHumanBlock(w *errWriter, file string, o *verify.Outcome) {
	if f := o.Finding; f != nil {
		w.printf("%s %s %s\n    %s\n\n", strings.ToUpper(string(o.Status)), Printable(f.Where(file)),
			Printable(f.Path), Printable(findingDetail(f)))
		return
	}
	w.printf("%s %s\n", strings.ToUpper(string(o.Status)), Printable(o.URL))
	if o.Status == verify.StatusDrift {
		for _, e := range o.Expected {
			if e != o.Got {
				w.printf("    expected %s\n", e)
			}
		}
		w.printf("    got      %s  (%s)\n", o.Got, describeSource(o))
	} else {
		w.printf("    expected %s\n", strings.Join(o.Expected, ", "))
		w.printf("    error    %s\n", Printable(o.Err))
	}
	for _, p := range o.Pins {
		mark := ""
		if o.Status == verify.StatusDrift {
			mark = "  <- drift"
			if p.Key() == (pin.Key{Algorithm: o.Algorithm.OrSHA256(), Hex: strings.ToLower(o.Got)}) {
				mark = "  (matches)"
			}
		}
		w.printf("    pinned   %s  %s  %s%s\n", Printable(location(file, p)), Printable(p.Path), ShortSHA(p.Shown()), mark)
	}
	w.printf("\n")
}

func describeSource(o *verify.Outcome) string {
	switch o.Source {
	case verify.SourceDigest:
		return "GitHub's asset digest"
	case verify.SourceCache:
		return "cached download of the same upload"
	}
	return fmt.Sprintf("%d bytes downloaded from %s", o.Bytes, Printable(o.FinalURL))
}

// findingDetail is a finding's message without the pin path it starts
// with, for places that show the path beside it.
func findingDetail(f *pin.Finding) string {
	return strings.TrimPrefix(f.Message, f.Path+": ")
}

// Printable quotes s, Go-style, when it holds a control or other
// non-printing character. The report shows text from the manifest and from
// servers: a newline there could start a line of its own, which the
// Actions runner would take for a workflow command (::error::, ::add-mask::)
// and a terminal for an escape sequence.
func Printable(s string) string {
	if !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return !strconv.IsPrint(r) }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// errWriter keeps the first write error so printing code stays linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// location is file:line for a pin's SHA literal.
func location(file string, p pin.Pin) string {
	return fmt.Sprintf("%s:%d", file, p.SHASpan.Line)
}

// ShortSHA is a digest's first 12 digits and an ellipsis, for a line that
// also says where the full one is.
func ShortSHA(s string) string {
	if short := shortsha.Of(s, shortsha.Long); short != s {
		return short + "…"
	}
	return s
}

// Count is "1 pin", "2 pins": n with the noun that agrees with it.
func Count(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, plural(n, one, many))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
