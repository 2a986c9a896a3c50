package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/pindrift/pindrift/internal/pin"
)

// WritePinsJSON writes `bot pins --json`: the extraction result as pin
// encodes it, one indented JSON value.
func WritePinsJSON(w io.Writer, res *pin.Result) error {
	// Empty lists print as [] rather than null: consumers index into them.
	out := *res
	if out.Pins == nil {
		out.Pins = []pin.Pin{}
	}
	if out.Unresolved == nil {
		out.Unresolved = []pin.Finding{}
	}
	if out.Invalid == nil {
		out.Invalid = []pin.Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// WritePinsTable writes `bot pins`'s table: one row per pin, then the
// findings, then a count.
func WritePinsTable(w io.Writer, res *pin.Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LOCATION\tPATH\tDIGEST\tURL")
	for _, p := range res.Pins {
		fmt.Fprintf(tw, "%s:%d:%d\t%s\t%s\t%s\n", Printable(res.File), p.SHASpan.Line, p.SHASpan.Column,
			Printable(p.Path), Printable(p.Shown()), Printable(p.URL))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if line := unpairedLine(res); line != "" {
		fmt.Fprintln(w, line)
	}
	for _, f := range res.Invalid {
		// A finding's message starts with the pin's path.
		fmt.Fprintf(w, "invalid:    %s: %s\n", Printable(f.Where(res.File)), Printable(f.Message))
	}
	for _, f := range res.Unresolved {
		fmt.Fprintf(w, "unresolved: %s: %s\n", Printable(f.Where(res.File)), Printable(f.Message))
	}
	_, err := fmt.Fprintf(w, "%s (%d unique), %d unresolved, %d invalid\n",
		Count(len(res.Pins), "pin", "pins"), len(res.Unique()), len(res.Unresolved), len(res.Invalid))
	return err
}

// unpairedLine says how many digest literals of res did not become a pin
// (no URL to pair with, a URL that cannot be known, or not a valid
// digest), so that a JSON or YAML file whose keys pindrift does not know
// reads as "digests not paired", not as a file with no pins; "" when none.
func unpairedLine(res *pin.Result) string {
	// A finding with no line is about the whole file (a symbol that is
	// not defined), and a Value finding about a value that could not be
	// known (an import); neither is about a literal. A record in a def the file never
	// calls that depends on the def's parameters is counted apart: its
	// callers, elsewhere, fill it in; nothing is missing from it.
	n, params := 0, 0
	for _, f := range slices.Concat(res.Unresolved, res.Invalid) {
		switch {
		case f.Line <= 0, f.Value:
		case pin.DependsOnParameter(f):
			params++
		default:
			n++
		}
	}
	const paramWords = "depending on parameters of a def the file does not call"
	switch {
	case n == 0 && params == 0:
		return ""
	case params == 0:
		return fmt.Sprintf("%s not paired with a URL (see below)", Count(n, "digest", "digests"))
	case n == 0:
		return fmt.Sprintf("%s %s (see below)", Count(params, "record", "records"), paramWords)
	}
	return fmt.Sprintf("%s not paired with a URL, %s %s (see below)",
		Count(n, "digest", "digests"), Count(params, "record", "records"), paramWords)
}

// FilesPins is `bot pins --json` over several files: each file's
// extraction result as WritePinsJSON prints it, with the error of a file
// that could not be read or evaluated.
type FilesPins struct {
	Files []FilePins `json:"files"`
}

// FilePins is one file of FilesPins; Error is "" when it was read.
type FilePins struct {
	pin.Result
	Error string `json:"error"`
}

// WriteFilesPinsJSON writes `bot pins --json` for ms; for one readable
// file, WritePinsJSON's document.
func WriteFilesPinsJSON(w io.Writer, ms []Manifest, unique bool) error {
	if res := single(ms); res != nil {
		return WritePinsJSON(w, pinsShown(res, unique))
	}
	doc := FilesPins{Files: []FilePins{}}
	for _, m := range ms {
		fp := FilePins{Result: pin.Result{File: m.File, Pins: []pin.Pin{}, Unresolved: []pin.Finding{}, Invalid: []pin.Finding{}}}
		if m.Err != nil {
			fp.Error = errLine(m.Err)
		} else {
			res := pinsShown(m.Result, unique)
			fp.Pins = append(fp.Pins, res.Pins...)
			fp.Unresolved = append(fp.Unresolved, res.Unresolved...)
			fp.Invalid = append(fp.Invalid, res.Invalid...)
		}
		doc.Files = append(doc.Files, fp)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// WriteFilesPinsTable writes `bot pins`'s table for ms: for one readable
// file WritePinsTable's, else a heading and a table per file, a line for
// each file that could not be read, and a total.
func WriteFilesPinsTable(w io.Writer, ms []Manifest, unique bool) error {
	if res := single(ms); res != nil {
		return WritePinsTable(w, pinsShown(res, unique))
	}
	var pins, uniq, unresolved, invalid int
	for _, m := range ms {
		if m.Err != nil {
			if _, err := fmt.Fprintf(w, "==> %s: NOT READ: %s\n\n", Printable(m.File), Printable(errLine(m.Err))); err != nil {
				return err
			}
			continue
		}
		res := pinsShown(m.Result, unique)
		if _, err := fmt.Fprintf(w, "==> %s\n", Printable(m.File)); err != nil {
			return err
		}
		if err := WritePinsTable(w, res); err != nil {
			return err
		}
		fmt.Fprintln(w)
		pins, uniq = pins+len(res.Pins), uniq+len(res.Unique())
		unresolved, invalid = unresolved+len(res.Unresolved), invalid+len(res.Invalid)
	}
	_, err := fmt.Fprintf(w, "TOTAL %s (%d not read): %s (%d unique within their file), %d unresolved, %d invalid\n",
		Count(len(ms), "file", "files"), Unreadable(ms), Count(pins, "pin", "pins"), uniq, unresolved, invalid)
	return err
}

// pinsShown is res, or with unique its distinct (url, digest) pairs.
func pinsShown(res *pin.Result, unique bool) *pin.Result {
	if !unique {
		return res
	}
	out := *res
	out.Pins = res.Unique()
	return &out
}
