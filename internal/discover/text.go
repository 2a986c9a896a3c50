package discover

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/repoconfig"
	"github.com/pindrift/pindrift/internal/report"
)

// maxUnreadShown bounds the unread candidates the text names; --json
// lists them all.
const maxUnreadShown = 20

// WriteJSON writes `bot discover --json`: the Result as its JSON tags
// name it, with the configuration it would write as one string ("" when
// nothing was found).
func (r *Result) WriteJSON(w io.Writer) error {
	out := struct {
		*Result
		Config string `json:"config"`
	}{r, string(r.Config())}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// WriteText writes `bot discover`'s report: the files found with their
// pin counts and findings, what was passed over and why, and the
// configuration that lists the files. Every string from the repository
// is printed quoted when it holds anything a terminal would act on.
func (r *Result) WriteText(w io.Writer) error {
	p := &printer{w: w}
	if len(r.Files) == 0 {
		p.printf("No file pairs digests with URLs (%s listed, %s read).\n",
			report.Count(r.Listed, "file", "files"), report.Count(r.Reads, "file", "files"))
	} else {
		p.printf("%s with pins (%s listed, %s read):\n", report.Count(len(r.Files), "file", "files"),
			report.Count(r.Listed, "file", "files"), report.Count(r.Reads, "file", "files"))
		p.files(r.Files)
	}
	if len(r.Unpaired) > 0 {
		p.printf("\nDigests without a URL to pair with, not configured (add the file by hand, with url_fields, if it is yours):\n")
		p.files(r.Unpaired)
	}
	if len(r.Failed) > 0 {
		p.printf("\nCould not be evaluated:\n")
		for _, f := range r.Failed {
			p.printf("  %s: %s\n", report.Printable(f.Path), report.Printable(f.Reason))
		}
	}
	if lines := r.skippedLines(); len(lines) > 0 {
		p.printf("\nSkipped without reading:\n")
		for _, l := range lines {
			p.printf("  %s\n", l)
		}
	}
	switch {
	case len(r.Unread) > 0 && r.FileLimit > 0:
		p.printf("\nNot read, after %s with pins, the most one configuration lists: %s\n",
			report.Count(r.FileLimit, "file", "files"), report.Count(len(r.Unread), "file", "files"))
	case len(r.Unread) > 0:
		p.printf("\nNot read, over the budget of %s (raise it with --max-reads): %s\n",
			report.Count(r.MaxReads, "read", "reads"), report.Count(len(r.Unread), "file", "files"))
	}
	if len(r.Unread) > 0 {
		for _, u := range r.Unread[:min(len(r.Unread), maxUnreadShown)] {
			p.printf("  %s\n", report.Printable(u))
		}
		if n := len(r.Unread) - maxUnreadShown; n > 0 {
			p.printf("  ... and %d more (--json lists them all)\n", n)
		}
	}
	if r.Truncated {
		p.printf("\nThe listing was cut short: files past its end were not looked at.\n")
	}
	if cfg := r.Config(); cfg != nil {
		p.printf("\nConfiguration to commit as %s:\n\n%s", repoconfig.Path, cfg)
	}
	return p.err
}

// files lists files with their counts, each followed by its findings.
func (p *printer) files(files []File) {
	width := 0
	for _, f := range files {
		width = max(width, utf8.RuneCountInString(report.Printable(f.Path)))
	}
	for _, f := range files {
		counts := []string{report.Count(f.Pins, "pin", "pins")}
		if n := len(f.Unresolved); n > 0 {
			counts = append(counts, fmt.Sprintf("%d unresolved", n))
		}
		if n := len(f.Invalid); n > 0 {
			counts = append(counts, fmt.Sprintf("%d invalid", n))
		}
		if len(f.Symbols) > 0 {
			counts = append(counts, "symbols: "+strings.Join(f.Symbols, ", "))
		}
		name := report.Printable(f.Path)
		p.printf("  %s%s  %-8s  %s\n", name, strings.Repeat(" ", width-utf8.RuneCountInString(name)), f.Format,
			strings.Join(counts, ", "))
		p.findings("unresolved", f.Path, f.Unresolved)
		p.findings("invalid", f.Path, f.Invalid)
	}
}

func (p *printer) findings(kind, file string, fs []pin.Finding) {
	for _, f := range fs {
		p.printf("    %s: %s: %s\n", kind, report.Printable(f.Where(file)), report.Printable(f.Message))
	}
}

// skippedLines sum up Folders and Skipped, one line each.
func (r *Result) skippedLines() []string {
	var lines []string
	if len(r.Folders) > 0 {
		names := make([]string, len(r.Folders))
		for i, f := range r.Folders {
			names[i] = report.Printable(f) + "/"
		}
		lines = append(lines, fmt.Sprintf("%s: %s",
			report.Count(len(r.Folders), "folder", "folders")+" (vendored, generated or test fixtures)", strings.Join(names, ", ")))
	}
	for _, reason := range slices.Sorted(maps.Keys(r.Skipped)) {
		lines = append(lines, fmt.Sprintf("%s: %s", report.Count(r.Skipped[reason], "file", "files"), reason))
	}
	return lines
}

// printer keeps the first write error so printing stays linear.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) Write(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	n, err := p.w.Write(b)
	p.err = err
	return n, err
}

func (p *printer) printf(format string, args ...any) {
	fmt.Fprintf(p, format, args...)
}
