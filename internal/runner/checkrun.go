package runner

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pindrift/pindrift/internal/manifest"
	"github.com/pindrift/pindrift/internal/sandbox"
	"github.com/pindrift/pindrift/internal/verify"
)

// CheckName is the check run pindrift posts on commits.
const CheckName = "pindrift"

// Check is a completed check run, as pindrift reports it.
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

// maxAnnotations is GitHub's limit per check-run request.
const maxAnnotations = 50

// checkFromReport turns a verification into a check run: failure with an
// annotation on each drifted SHA literal; neutral when nothing drifted but
// something could not be verified; success when every pin matches.
func checkFromReport(file string, rep *verify.Report) Check {
	s := rep.Summary
	var c Check
	var text strings.Builder
	for _, o := range rep.Outcomes {
		switch o.Status {
		case verify.StatusOK:
			continue
		case verify.StatusDrift:
			fmt.Fprintf(&text, "### Drift: `%s`\n\n```diff\n", o.URL)
			for _, p := range o.Drifted() {
				fmt.Fprintf(&text, "- %s  pinned at %s:%d (%s)\n", strings.ToLower(p.SHA256), file, p.SHASpan.Line, p.Path)
				c.Annotations = append(c.Annotations, Annotation{Path: file, Line: p.SHASpan.Line, Level: "failure",
					Title:   "SHA-256 does not match the live asset",
					Message: fmt.Sprintf("%s is pinned as\n  %s\nbut the bytes at that URL hash to\n  %s", o.URL, strings.ToLower(p.SHA256), o.Got)})
			}
			fmt.Fprintf(&text, "+ %s  live\n```\n\n", o.Got)
		default:
			what := o.URL
			msg := o.Err
			if f := o.Finding; f != nil {
				what, msg = f.Path, f.Message
				if f.Line > 0 {
					c.Annotations = append(c.Annotations, Annotation{Path: file, Line: f.Line, Level: "warning",
						Title: "Pin could not be checked (" + string(o.Status) + ")", Message: f.Message})
				}
			}
			fmt.Fprintf(&text, "- **%s** `%s`: %s\n", o.Status, what, oneLine(msg))
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
	c.Summary = fmt.Sprintf("`%s`: %d ok, %d drift, %d missing, %d unreachable, %d refused, %d unresolved, %d invalid.",
		file, s.OK, s.Drift, s.Missing, s.Unreachable, s.Refused, s.Unresolved, s.Invalid)
	c.Text = text.String()
	if len(c.Annotations) > maxAnnotations {
		c.Annotations = c.Annotations[:maxAnnotations]
	}
	return c
}

// checkFromError reports input pindrift could not use (an invalid
// configuration, a manifest that does not parse) as a failing check, with
// an annotation where the problem is when it is known.
func checkFromError(file string, err error) Check {
	c := Check{Conclusion: "failure", Title: "pindrift could not read its input", Summary: oneLine(err.Error())}
	var se *manifest.SyntaxError
	var be *manifest.BudgetError
	var ce *ConfigError
	var le *sandbox.LimitError
	switch {
	case errors.As(err, &ce):
		c.Title = "pindrift's configuration is invalid"
		for _, p := range ce.Problems {
			if ce.InRepo && p.Line > 0 {
				c.Annotations = append(c.Annotations, Annotation{Path: ce.File, Line: p.Line, Level: "failure",
					Title: "Invalid pindrift configuration", Message: p.Message})
			}
		}
	case errors.As(err, &se):
		c.Annotations = []Annotation{{Path: file, Line: se.Line, Level: "failure", Title: "Syntax error", Message: se.Msg}}
	case errors.As(err, &be):
		c.Annotations = []Annotation{{Path: file, Line: be.Line, Level: "failure", Title: "Evaluation stopped", Message: be.Msg}}
	case errors.As(err, &le):
		// No line to point at: the child was stopped from outside.
		c.Title = "The manifest could not be evaluated within pindrift's limits"
		c.Summary = oneLine(le.Error())
		c.Text = "pindrift evaluates manifests in a separate process with bounded CPU time, memory and running time. " +
			"`" + file + "` did not stay within them: " + le.Detail + ". Its pins could not be checked; " +
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
