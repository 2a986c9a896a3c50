package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pindrift/pindrift/internal/manifest"
	"github.com/pindrift/pindrift/internal/verify"
)

// writeAnnotations emits GitHub Actions workflow commands: an error at
// each drifted SHA literal, a warning at each pin or finding that could
// not be verified.
func writeAnnotations(w io.Writer, res *manifest.Result, rep *verify.Report) error {
	ew := &errWriter{w: w}
	for _, o := range rep.Outcomes {
		switch {
		case o.Finding != nil:
			ew.printf("::warning file=%s,line=%d,col=%d,title=%s::%s\n", escapeProperty(res.File), o.Finding.Line,
				o.Finding.Column, escapeProperty("pin "+string(o.Status)), escapeData(o.Finding.Path+": "+findingDetail(o.Finding)))
		case o.Status == verify.StatusDrift:
			for _, p := range o.Drifted() {
				ew.printf("::error file=%s,line=%d,col=%d,title=%s::%s\n", escapeProperty(res.File), p.SHASpan.Line,
					p.SHASpan.Column, escapeProperty("SHA-256 drift"),
					escapeData(fmt.Sprintf("%s\nexpected %s\ngot      %s", o.URL, p.SHA256, o.Got)))
			}
		case o.Status != verify.StatusOK:
			for _, p := range o.Pins {
				ew.printf("::warning file=%s,line=%d,col=%d,title=%s::%s\n", escapeProperty(res.File), p.SHASpan.Line,
					p.SHASpan.Column, escapeProperty("asset "+string(o.Status)), escapeData(o.URL+": "+o.Err))
			}
		}
	}
	return ew.err
}

// Escaping as the Actions runner decodes it (toolkit's command.ts).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// appendStepSummary appends the Markdown report to the job summary file.
func appendStepSummary(path string, res *manifest.Result, rep *verify.Report) error {
	fh, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if err := writeStepSummary(fh, res, rep); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

func writeStepSummary(w io.Writer, res *manifest.Result, rep *verify.Report) error {
	ew := &errWriter{w: w}
	s := rep.Summary
	switch {
	case s.Drift > 0:
		ew.printf("## :x: pindrift: %d pinned asset(s) changed\n\n", s.Drift)
	case s.Unverified() > 0:
		ew.printf("## :warning: pindrift: no drift, %d could not be verified\n\n", s.Unverified())
	default:
		ew.printf("## :white_check_mark: pindrift: every pinned asset matches\n\n")
	}
	ew.printf("`%s`\n\n", res.File)
	ew.printf("| ok | drift | missing | unreachable | refused | unresolved | invalid |\n")
	ew.printf("|---:|---:|---:|---:|---:|---:|---:|\n")
	ew.printf("| %d | %d | %d | %d | %d | %d | %d |\n\n", s.OK, s.Drift, s.Missing, s.Unreachable, s.Refused, s.Unresolved, s.Invalid)
	if s.Drift > 0 {
		ew.printf("### Drift\n\n| Asset | Pinned at | Expected | Got |\n|---|---|---|---|\n")
		for _, o := range rep.Outcomes {
			for _, p := range o.Drifted() {
				ew.printf("| %s | `%s` %s | `%s` | `%s` |\n", mdCell(o.URL), location(res.File, p), mdCell(p.Path), p.SHA256, o.Got)
			}
		}
		ew.printf("\n")
	}
	if s.Unverified() > 0 {
		ew.printf("### Not verified\n\n| Status | Asset or location | Reason |\n|---|---|---|\n")
		for _, o := range rep.Outcomes {
			if o.Status == verify.StatusOK || o.Status == verify.StatusDrift {
				continue
			}
			what := mdCell(o.URL)
			if f := o.Finding; f != nil {
				what = fmt.Sprintf("`%s:%d` %s", res.File, f.Line, mdCell(f.Path))
			}
			detail := o.Err
			if o.Finding != nil {
				detail = findingDetail(o.Finding)
			}
			ew.printf("| %s | %s | %s |\n", o.Status, what, mdCell(detail))
		}
		ew.printf("\n")
	}
	return ew.err
}

// mdCell makes s safe inside a Markdown table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ").Replace(s)
}
