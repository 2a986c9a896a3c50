// Package fixreport is what `bot fix` tells its user about a fix: the
// unified diff (printed alone, for patch(1)), the summary of what was
// written or committed, the refusals on stderr, and the --json document, a
// contract like bot check's (testdata/fix.json).
//
// It renders a patch.Result and shares report's text helpers; it imports
// patch and report, never verify's fetching, fixpr, runner or server, and
// nothing imports it but cmd/bot.
package fixreport

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/pindrift/pindrift/internal/patch"
	"github.com/pindrift/pindrift/internal/report"
)

// Diff is the unified diff from the original file to the fixed one, ""
// when nothing changed.
func Diff(fx *patch.Result) (string, error) {
	if !fx.Changed() {
		return "", nil
	}
	return difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A:        difflib.SplitLines(string(fx.Original)),
		B:        difflib.SplitLines(string(fx.Patched)),
		FromFile: fx.File,
		FromDate: "pinned",
		ToFile:   fx.File,
		ToDate:   "fixed",
		Context:  3,
	})
}

// WriteDiff prints only the diff, so stdout can be piped to patch(1).
func WriteDiff(w io.Writer, fx *patch.Result) error {
	d, err := Diff(fx)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, d)
	return err
}

// WriteSummary lists the applied changes, one line per literal, then
// applied (what was written or committed) or why nothing was.
func WriteSummary(w io.Writer, fx *patch.Result, applied string) error {
	var b strings.Builder
	for _, c := range fx.Changes {
		fmt.Fprintf(&b, "fixed %s  %s  %s → %s  %s\n", patch.Location(fx.File, c.Span), assetNames(c.URLs),
			report.ShortSHA(c.Old), report.ShortSHA(c.New), pinPaths(c))
	}
	switch {
	case applied != "":
		fmt.Fprintf(&b, "%s\n", applied)
	case fx.Verdict == patch.VerdictClean:
		fmt.Fprintf(&b, "nothing to fix: no pin drifted\n")
	default:
		fmt.Fprintf(&b, "nothing written: no drift could be fixed\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteRefusals tells, for stderr, what was left alone and why, how many
// URLs and pins could not be verified, and how much of the drift was fixed.
func WriteRefusals(w io.Writer, fx *patch.Result, unverified int) {
	for _, r := range fx.Refused {
		fmt.Fprintf(w, "bot: not fixed (%s): %s\n", r.Reason, r.Message)
	}
	if unverified > 0 {
		fmt.Fprintf(w, "bot: %s could not be verified; run \"bot check\" for details\n",
			report.Count(unverified, "URL or pin", "URLs or pins"))
	}
	if fx.Drifted > 0 {
		fmt.Fprintf(w, "bot: %d of %s fixed by %s\n", fx.Fixed, report.Count(fx.Drifted, "drifted pin", "drifted pins"),
			report.Count(len(fx.Changes), "literal change", "literal changes"))
	}
}

// Document is bot fix's --json document; its shape is a contract.
type Document struct {
	File     string        `json:"file"`
	Verdict  patch.Verdict `json:"verdict"`
	Complete bool          `json:"complete"`
	Drifted  int           `json:"drifted"`
	Fixed    int           `json:"fixed"`
	Changes  []Change      `json:"changes"`
	Refused  []Refusal     `json:"refused"`
	Diff     string        `json:"diff"`
	Applied  string        `json:"applied,omitempty"`
	// Error is why the file was not fixed, in several-file runs: it could
	// not be read or evaluated.
	Error string `json:"error,omitempty"`
}

// FilesDocument is bot fix's --json document over several files: each
// file's Document, in argument order. Complete is set when every file was
// read and every drift in it fixed; Applied says what was written or
// committed, over all files.
type FilesDocument struct {
	Files    []Document `json:"files"`
	Complete bool       `json:"complete"`
	Applied  string     `json:"applied,omitempty"`
}

// File is one file of a several-file fix: the fix, or why there is none.
type File struct {
	Path string
	Fix  *patch.Result // nil when Err is set
	Err  error
}

// Change is one rewritten SHA literal.
type Change struct {
	Line   int      `json:"line"`
	Column int      `json:"column"`
	Old    string   `json:"old"`
	New    string   `json:"new"`
	URLs   []string `json:"urls"`
	Paths  []string `json:"paths"`
}

// Refusal is one drifted literal left alone, and why.
type Refusal struct {
	Reason  patch.Reason      `json:"reason"`
	Line    int               `json:"line,omitempty"`
	Column  int               `json:"column,omitempty"`
	URLs    []patch.URLDigest `json:"urls"`
	Message string            `json:"message"`
}

// WriteJSON writes the Document of fx, indented; applied is as for
// WriteSummary.
func WriteJSON(w io.Writer, fx *patch.Result, applied string) error {
	doc, err := newDocument(fx, applied)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// WriteFilesJSON writes the FilesDocument of files; applied is as for
// WriteSummary, over all files.
func WriteFilesJSON(w io.Writer, files []File, applied string) error {
	out := FilesDocument{Files: []Document{}, Complete: true, Applied: applied}
	for _, f := range files {
		if f.Err != nil {
			out.Complete = false
			out.Files = append(out.Files, Document{File: f.Path, Changes: []Change{}, Refused: []Refusal{},
				Error: strings.Join(strings.Fields(f.Err.Error()), " ")})
			continue
		}
		doc, err := newDocument(f.Fix, "")
		if err != nil {
			return err
		}
		out.Complete = out.Complete && doc.Complete
		out.Files = append(out.Files, doc)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func newDocument(fx *patch.Result, applied string) (Document, error) {
	d, err := Diff(fx)
	if err != nil {
		return Document{}, err
	}
	doc := Document{File: fx.File, Verdict: fx.Verdict, Complete: fx.Complete, Drifted: fx.Drifted, Fixed: fx.Fixed,
		Changes: []Change{}, Refused: []Refusal{}, Diff: d, Applied: applied}
	for _, c := range fx.Changes {
		jc := Change{Line: c.Span.Line, Column: c.Span.Column, Old: c.Old, New: c.New, URLs: c.URLs}
		for _, p := range c.Pins {
			jc.Paths = append(jc.Paths, p.Path)
		}
		doc.Changes = append(doc.Changes, jc)
	}
	for _, r := range fx.Refused {
		urls := r.URLs
		if urls == nil {
			urls = []patch.URLDigest{}
		}
		doc.Refused = append(doc.Refused, Refusal{Reason: r.Reason, Line: r.Span.Line, Column: r.Span.Column, URLs: urls, Message: r.Message})
	}
	return doc, nil
}

// assetNames names the URLs by their last path segment.
func assetNames(urls []string) string {
	names := make([]string, len(urls))
	for i, u := range urls {
		names[i] = u
		if p, err := url.Parse(u); err == nil && p.Path != "" && p.Path != "/" {
			names[i] = path.Base(p.Path)
		}
	}
	return strings.Join(names, ", ")
}

func pinPaths(c patch.Change) string {
	paths := make([]string, 0, len(c.Pins))
	seen := map[string]bool{}
	for _, p := range c.Pins {
		if !seen[p.Path] {
			seen[p.Path] = true
			paths = append(paths, p.Path)
		}
	}
	return strings.Join(paths, ", ")
}
