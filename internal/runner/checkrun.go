package runner

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/repoconfig"
	"github.com/pindrift/pindrift/internal/sandbox"
	"github.com/pindrift/pindrift/internal/verify"
)

// Check is a completed check run, as pindrift reports it. Its Markdown
// (Summary, Text) shows every untrusted string as inert code and fits
// GitHub's limits; its annotations are plain text, bounded, and posted 50
// to a request.
type Check struct {
	Conclusion  string // success, failure or neutral
	Title       string
	Summary     string
	Text        string
	Annotations []Annotation
}

// Annotation marks one line of a file in the check run.
type Annotation struct {
	Path    string
	Line    int
	Level   string // failure, warning or notice
	Title   string
	Message string
}

// MaxAnnotations is how many annotations one check run carries at most:
// six requests of GitHub's 50. Findings beyond them are counted in the
// summary and listed in the text.
const MaxAnnotations = 300

// lineMax bounds one line of a diff block in the text.
const lineMax = 2 * markdown.MaxInline

// checkFromRun turns one verification of several manifests into a check
// run. Failure, when a pin drifted (an annotation on each drifted SHA
// literal, in its own file) or a manifest could not be read (an
// annotation where the problem is: the manifest's line for a syntax
// error, else the configuration's entry for it); neutral when nothing
// drifted but something could not be verified; success when every pin
// matches. The manifests that could be read are verified whatever
// happened to the others.
func checkFromRun(reads []manifestRead, rep *verify.Report, ownerDefault bool) Check {
	var c Check
	var entries []string // one per finding, Markdown
	paths := make([]string, 0, len(reads))
	failed := 0
	var limit *sandbox.LimitError
	for _, rd := range reads {
		paths = append(paths, rd.Path)
		if rd.Err == nil {
			continue
		}
		failed++
		errors.As(rd.Err, &limit)
		entry, ann := unreadEntry(rd, ownerDefault)
		entries = append(entries, entry)
		if ann != nil {
			c.Annotations = append(c.Annotations, *ann)
		}
	}
	fe, fa := findingEntries(rep)
	entries, c.Annotations = append(entries, fe...), append(c.Annotations, fa...)

	s := rep.Summary
	switch {
	case s.Drift > 0:
		c.Conclusion = "failure"
		c.Title = fmt.Sprintf("%d pinned %s no longer %s the live bytes", s.Drift, plural(s.Drift, "asset", "assets"), plural(s.Drift, "matches", "match"))
		if failed > 0 {
			c.Title += fmt.Sprintf("; %d %s could not be read", failed, plural(failed, "manifest", "manifests"))
		}
	case failed > 0 && len(reads) == 1 && limit != nil:
		c.Conclusion = "failure"
		c.Title = "The manifest could not be evaluated within pindrift's limits"
	case failed > 0 && len(reads) == 1:
		c.Conclusion = "failure"
		c.Title = "pindrift could not read its input"
	case failed > 0:
		c.Conclusion = "failure"
		c.Title = fmt.Sprintf("%d of %d manifests could not be read", failed, len(reads))
	case s.Unverified() > 0:
		c.Conclusion = "neutral"
		c.Title = fmt.Sprintf("No drift found, but %d %s could not be verified", s.Unverified(), plural(s.Unverified(), "pin", "pins"))
	default:
		c.Conclusion = "success"
		c.Title = fmt.Sprintf("All %d pinned %s match their SHA-256", s.OK, plural(s.OK, "asset", "assets"))
	}
	summary := fmt.Sprintf("%s: %d ok, %d drift, %d missing, %d unreachable, %d refused, %d unresolved, %d invalid.",
		fileList(paths), s.OK, s.Drift, s.Missing, s.Unreachable, s.Refused, s.Unresolved, s.Invalid)
	switch left := len(reads) - failed; {
	case failed == 0:
	case left == 0:
		summary += fmt.Sprintf("\n\n%d of %d %s could not be read:\n\n", failed, len(reads), plural(len(reads), "manifest", "manifests"))
	default:
		summary += fmt.Sprintf("\n\n%d of %d manifests could not be read; %s verified. Why:\n\n", failed, len(reads),
			plural(left, "the other one was", "the others were"))
	}
	if failed > 0 {
		summary += unreadSummary(reads)
	}
	text, shown := fitEntries(entries, markdown.MaxCheckText)
	c.Text = text
	if left := len(entries) - shown; left > 0 {
		summary += fmt.Sprintf("\n\n%d of %d %s not shown below: GitHub limits a check run's text to %d characters. "+
			"`bot check` on the manifests lists them all.", left, len(entries), plural(left, "finding is", "findings are"), markdown.MaxCheckText)
	}
	if n := len(c.Annotations); n > MaxAnnotations {
		summary += fmt.Sprintf("\n\n%d of %d annotations left out: pindrift annotates at most %d lines.", n-MaxAnnotations, n, MaxAnnotations)
		c.Annotations = c.Annotations[:MaxAnnotations]
	}
	c.Summary = summary
	c.Title = markdown.Clip(c.Title, markdown.MaxCheckTitle)
	return c
}

// unreadSummary quotes why each manifest could not be read, one line
// each, within a quarter of a check run's text: the details, and what
// does not fit, are in the text.
func unreadSummary(reads []manifestRead) string {
	var lines []string
	for _, rd := range reads {
		if rd.Err != nil {
			lines = append(lines, oneLine(rd.Err.Error()))
		}
	}
	// The errors quote the repository's files and servers' answers: they
	// are shown as code, in a fence no line of them can close.
	return markdown.BlockWithin("", lineMax, markdown.MaxCheckText/4, lines...)
}

// maxListedFiles bounds the manifests the summary names one by one.
const maxListedFiles = 10

// fileList names the manifests of a run as code, the first
// maxListedFiles of them.
func fileList(paths []string) string {
	var names []string
	for i, p := range paths {
		if i == maxListedFiles {
			names = append(names, fmt.Sprintf("and %d more", len(paths)-maxListedFiles))
			break
		}
		names = append(names, markdown.Code(p))
	}
	return strings.Join(names, ", ")
}

// findingEntries lists what the verification found that is not ok, one
// Markdown entry each, with an annotation on each drifted SHA literal and
// on each finding with a line, in the file that holds it.
func findingEntries(rep *verify.Report) ([]string, []Annotation) {
	var entries []string
	var anns []Annotation
	for _, o := range rep.Outcomes {
		switch o.Status {
		case verify.StatusOK:
			continue
		case verify.StatusDrift:
			var lines []string
			for _, p := range o.Drifted() {
				lines = append(lines, fmt.Sprintf("- %s  pinned at %s:%d (%s)", p.Key(), p.File, p.SHASpan.Line, p.Path))
				anns = append(anns, annotation(p.File, p.SHASpan.Line, "failure", o.Algorithm.Title()+" does not match the live asset",
					fmt.Sprintf("%s is pinned as\n  %s\nbut the bytes at that URL hash to\n  %s",
						markdown.Shorten(markdown.OneLine(o.URL), markdown.MaxInline), p.Key(), o.Got)))
			}
			lines = append(lines, "+ "+o.Got+"  live")
			entries = append(entries, "### Drift: "+markdown.Code(o.URL)+"\n\n"+markdown.Block("diff", lineMax, lines...)+"\n")
		default:
			what := o.URL
			msg := o.Err
			if f := o.Finding; f != nil {
				what, msg = f.Path, f.Message
				if f.File != "" {
					what = f.File + ": " + f.Path
				}
				if f.Line > 0 {
					anns = append(anns, annotation(f.File, f.Line, "warning",
						"Pin could not be checked ("+string(o.Status)+")", f.Message))
				}
			}
			entries = append(entries, fmt.Sprintf("- **%s** %s: %s\n", o.Status, markdown.Code(what), markdown.Code(oneLine(msg))))
		}
	}
	return entries, anns
}

// unreadEntry explains a manifest that could not be read, and annotates
// where the problem is when that is known: the manifest's line for a
// syntax error or an evaluation stopped on a line, else the entry of the
// repository's configuration that lists it.
func unreadEntry(rd manifestRead, ownerDefault bool) (string, *Annotation) {
	err := rd.Err
	// The error quotes the repository's files and servers' answers: it is
	// shown as code, in a fence no line of it can close.
	entry := "### Could not read " + markdown.Code(rd.Path) + "\n\n" +
		markdown.BlockWithin("", lineMax, markdown.MaxCheckText/4, strings.Split(err.Error(), "\n")...) + "\n"
	var se *pin.SyntaxError
	var be *pin.BudgetError
	var le *sandbox.LimitError
	switch {
	case errors.As(err, &se) && se.Line > 0:
		a := annotation(rd.Path, se.Line, "failure", "Syntax error", se.Msg)
		return entry, &a
	case errors.As(err, &be) && be.Line > 0:
		a := annotation(rd.Path, be.Line, "failure", "Evaluation stopped", be.Msg)
		return entry, &a
	case errors.As(err, &le):
		// No line to point at: the child was stopped from outside.
		entry += "\npindrift evaluates manifests in a separate process with bounded CPU time, memory and running time. " +
			markdown.Code(rd.Path) + " did not stay within them: " + le.Detail + ". Its pins could not be checked; " +
			"simplify the module-level code that builds them.\n"
	}
	if ownerDefault || rd.Line <= 0 {
		return entry, nil
	}
	a := annotation(repoconfig.Path, rd.Line, "failure", "Manifest could not be read", err.Error())
	return entry, &a
}

// fitEntries joins as many entries as fit in limit bytes, keeping room for
// a closing line that says how many were left out.
func fitEntries(entries []string, limit int) (text string, shown int) {
	const noteRoom = 200
	var b strings.Builder
	for i, e := range entries {
		room := limit - b.Len()
		if i < len(entries)-1 {
			room -= noteRoom
		}
		if len(e) > room {
			break
		}
		b.WriteString(e)
		shown++
	}
	if left := len(entries) - shown; left > 0 {
		fmt.Fprintf(&b, "\n_…and %d more %s, left out to stay within GitHub's limit._\n", left, plural(left, "finding", "findings"))
	}
	return b.String(), shown
}

// annotation builds one annotation within GitHub's limits. Annotations are
// plain text on GitHub, so the title and message stay as they are, only
// bounded.
func annotation(path string, line int, level, title, message string) Annotation {
	return Annotation{Path: path, Line: line, Level: level,
		Title:   markdown.Clip(markdown.OneLine(title), markdown.MaxAnnotationTitle),
		Message: markdown.Plain(message, markdown.MaxAnnotationMessage)}
}

// checkFromError reports an invalid configuration as a failing check,
// with an annotation on each problem's line when the file is the
// repository's own.
func checkFromError(file string, err error) Check {
	msg := err.Error()
	// The error quotes the repository's files and servers' answers: it is
	// shown as code, in a fence no line of it can close.
	summary := markdown.BlockWithin("", lineMax, markdown.MaxCheckText, strings.Split(msg, "\n")...)
	c := Check{Conclusion: "failure", Title: "pindrift could not read its input", Summary: summary}
	var ce *repoconfig.Error
	if errors.As(err, &ce) {
		c.Title = "pindrift's configuration is invalid"
		for _, p := range ce.Problems {
			if !ce.OwnerDefault && p.Line > 0 && len(c.Annotations) < MaxAnnotations {
				path := ce.File
				if path == "" {
					path = file
				}
				c.Annotations = append(c.Annotations, annotation(path, p.Line, "failure", "Invalid pindrift configuration",
					p.Key+": "+p.Message))
			}
		}
	}
	return c
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
