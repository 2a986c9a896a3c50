package report

import (
	"encoding/json"
	"io"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
)

// Document is the --json document of `bot check`. Its shape is a contract:
// scripts, the GitHub Action and `bot fix --report` read it.
//
// A run over several files has the same results and summary, over all
// of them (an asset pinned in several files is one result, whose pins
// name their files), plus Files: each file's own summary, or why it was
// not checked. A one-file run has no Files and no pin names its file, so
// its document is what it was before runs took several files.
type Document struct {
	Results []Result       `json:"results"`
	Summary verify.Summary `json:"summary"`
	Files   []FileSummary  `json:"files,omitempty"`
}

// FileSummary is one file of a several-file run. Summary counts the
// outcomes of the file's own pins: an asset pinned in two files counts in
// both, and as ok in the one whose pins already match. Error is why the
// file was not checked (unreadable, too large, not valid in its format);
// its Summary is then all zeros.
type FileSummary struct {
	Path    string         `json:"path"`
	Summary verify.Summary `json:"summary"`
	Error   string         `json:"error"`
}

// Result is the verdict on one URL, or on one pin that has no URL to fetch
// (an unresolved or invalid finding, whose one Pin says where it is).
type Result struct {
	URL    string        `json:"url"`
	Status verify.Status `json:"status"`
	// Algorithm is the hash of Expected and Got; empty for findings.
	Algorithm  pin.Algorithm `json:"algorithm,omitempty"`
	Expected   []string      `json:"expected"`
	Got        string        `json:"got"`
	Source     verify.Source `json:"source,omitempty"`
	Bytes      int64         `json:"bytes"`
	Size       int64         `json:"size"`
	HTTPStatus int           `json:"http_status"`
	FinalURL   string        `json:"final_url,omitempty"`
	DurationMS int64         `json:"duration_ms"`
	Attempts   int           `json:"attempts"`
	Error      string        `json:"error"`
	Pins       []Pin         `json:"pins"`
}

// Pin is where a digest literal (or a finding) stands in the manifest.
// SHA256 is set for sha256 pins, as it always was; Algorithm, Digest
// (lowercase hex) and Encoding for every pin.
type Pin struct {
	// File is the manifest the pin is in, in several-file runs only.
	File      string        `json:"file,omitempty"`
	SHA256    string        `json:"sha256"`
	Algorithm pin.Algorithm `json:"algorithm,omitempty"`
	Digest    string        `json:"digest,omitempty"`
	Encoding  pin.Encoding  `json:"encoding,omitempty"`
	Path      string        `json:"path"`
	Line      int           `json:"line"`
	Column    int           `json:"column"`
}

// newDocument builds the document of a run. Lists are empty rather than
// nil, so they encode as [] and consumers can index into them.
// withFile sets each pin's File, for several-file runs.
func newDocument(rep *verify.Report, withFile bool) Document {
	doc := Document{Results: []Result{}, Summary: rep.Summary}
	for _, o := range rep.Outcomes {
		r := Result{
			URL: o.URL, Status: o.Status, Algorithm: o.Algorithm, Expected: o.Expected, Got: o.Got, Source: o.Source,
			Bytes: o.Bytes, Size: o.Size, HTTPStatus: o.HTTPStatus, FinalURL: o.FinalURL,
			DurationMS: o.Duration.Milliseconds(), Attempts: o.Attempts, Error: o.Err, Pins: []Pin{},
		}
		if r.Expected == nil {
			r.Expected = []string{}
		}
		for _, p := range o.Pins {
			k := p.Key()
			file := ""
			if withFile {
				file = p.File
			}
			r.Pins = append(r.Pins, Pin{File: file, SHA256: p.SHA256, Algorithm: k.Algorithm, Digest: k.Hex, Encoding: p.Encoding,
				Path: p.Path, Line: p.SHASpan.Line, Column: p.SHASpan.Column})
		}
		if f := o.Finding; f != nil {
			file := ""
			if withFile {
				file = f.File
			}
			r.Pins = append(r.Pins, Pin{File: file, Path: f.Path, Line: f.Line, Column: f.Column})
		}
		doc.Results = append(doc.Results, r)
	}
	return doc
}

// WriteJSON writes the run's document, indented, as one JSON value and a
// newline.
func WriteJSON(w io.Writer, res *pin.Result, rep *verify.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(newDocument(rep, false))
}

// WriteFilesJSON writes the document of a run over ms; for one readable
// file it is WriteJSON's.
func WriteFilesJSON(w io.Writer, ms []Manifest, rep *verify.Report) error {
	if res := single(ms); res != nil {
		return WriteJSON(w, res, rep)
	}
	doc := newDocument(rep, true)
	doc.Files = []FileSummary{}
	for _, v := range splitByFile(ms, rep) {
		fs := FileSummary{Path: v.File}
		if v.Err != nil {
			fs.Error = errLine(v.Err)
		} else {
			fs.Summary = v.rep.Summary
		}
		doc.Files = append(doc.Files, fs)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
