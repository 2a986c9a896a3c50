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

// checkFromReport turns a verification into a check run: failure with an
// annotation on each drifted SHA literal; neutral when nothing drifted but
// something could not be verified; success when every pin matches.
func checkFromReport(file string, rep *verify.Report) Check {
	s := rep.Summary
	var c Check
	var entries []string // one per finding, Markdown
	for _, o := range rep.Outcomes {
		switch o.Status {
		case verify.StatusOK:
			continue
		case verify.StatusDrift:
			var lines []string
			for _, p := range o.Drifted() {
				lines = append(lines, fmt.Sprintf("- %s  pinned at %s:%d (%s)", p.Key(), file, p.SHASpan.Line, p.Path))
				c.Annotations = append(c.Annotations, annotation(file, p.SHASpan.Line, "failure", o.Algorithm.Title()+" does not match the live asset",
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
				if f.Line > 0 {
					c.Annotations = append(c.Annotations, annotation(file, f.Line, "warning",
						"Pin could not be checked ("+string(o.Status)+")", f.Message))
				}
			}
			entries = append(entries, fmt.Sprintf("- **%s** %s: %s\n", o.Status, markdown.Code(what), markdown.Code(oneLine(msg))))
		}
	}
	switch {
	case s.Drift > 0:
		c.Conclusion = "failure"
		c.Title = fmt.Sprintf("%d pinned %s no longer %s the live bytes", s.Drift, plural(s.Drift, "asset", "assets"), plural(s.Drift, "matches", "match"))
	case s.Unverified() > 0:
		c.Conclusion = "neutral"
		c.Title = fmt.Sprintf("No drift found, but %d %s could not be verified", s.Unverified(), plural(s.Unverified(), "pin", "pins"))
	default:
		c.Conclusion = "success"
		c.Title = fmt.Sprintf("All %d pinned %s match their SHA-256", s.OK, plural(s.OK, "asset", "assets"))
	}
	summary := fmt.Sprintf("%s: %d ok, %d drift, %d missing, %d unreachable, %d refused, %d unresolved, %d invalid.",
		markdown.Code(file), s.OK, s.Drift, s.Missing, s.Unreachable, s.Refused, s.Unresolved, s.Invalid)
	text, shown := fitEntries(entries, markdown.MaxCheckText)
	c.Text = text
	if left := len(entries) - shown; left > 0 {
		summary += fmt.Sprintf("\n\n%d of %d %s not shown below: GitHub limits a check run's text to %d characters. "+
			"`bot check` on the manifest lists them all.", left, len(entries), plural(left, "finding is", "findings are"), markdown.MaxCheckText)
	}
	if n := len(c.Annotations); n > MaxAnnotations {
		summary += fmt.Sprintf("\n\n%d of %d annotations left out: pindrift annotates at most %d lines.", n-MaxAnnotations, n, MaxAnnotations)
		c.Annotations = c.Annotations[:MaxAnnotations]
	}
	c.Summary = summary
	c.Title = markdown.Clip(c.Title, markdown.MaxCheckTitle)
	return c
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

// checkFromError reports input pindrift could not use (an invalid
// configuration, a manifest that does not parse) as a failing check, with
// an annotation where the problem is when it is known.
func checkFromError(file string, err error) Check {
	msg := err.Error()
	// The error quotes the repository's files and servers' answers: it is
	// shown as code, in a fence no line of it can close.
	summary := markdown.BlockWithin("", lineMax, markdown.MaxCheckText, strings.Split(msg, "\n")...)
	c := Check{Conclusion: "failure", Title: "pindrift could not read its input", Summary: summary}
	var se *pin.SyntaxError
	var be *pin.BudgetError
	var ce *repoconfig.Error
	var le *sandbox.LimitError
	switch {
	case errors.As(err, &ce):
		c.Title = "pindrift's configuration is invalid"
		for _, p := range ce.Problems {
			if !ce.OwnerDefault && p.Line > 0 && len(c.Annotations) < MaxAnnotations {
				c.Annotations = append(c.Annotations, annotation(ce.File, p.Line, "failure", "Invalid pindrift configuration",
					p.Key+": "+p.Message))
			}
		}
	case errors.As(err, &se):
		c.Annotations = []Annotation{annotation(file, se.Line, "failure", "Syntax error", se.Msg)}
	case errors.As(err, &be):
		c.Annotations = []Annotation{annotation(file, be.Line, "failure", "Evaluation stopped", be.Msg)}
	case errors.As(err, &le):
		// No line to point at: the child was stopped from outside.
		c.Title = "The manifest could not be evaluated within pindrift's limits"
		c.Summary = oneLine(le.Error())
		c.Text = "pindrift evaluates manifests in a separate process with bounded CPU time, memory and running time. " +
			markdown.Code(file) + " did not stay within them: " + le.Detail + ". Its pins could not be checked; " +
			"simplify the module-level code that builds them."
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
