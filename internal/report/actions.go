package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
)

// WriteAnnotations emits GitHub Actions workflow commands: an error at
// each drifted SHA literal, a warning at each pin or finding that could
// not be verified. Annotations are plain text; the URLs, paths and
// messages in them are shortened (a 70,000-character URL would make a
// 70 KB log line per pin) and bounded.
func WriteAnnotations(w io.Writer, res *pin.Result, rep *verify.Report) error {
	ew := &errWriter{w: w}
	writeAnnotations(ew, func(string) string { return res.File }, rep)
	return ew.err
}

// WriteFilesAnnotations is WriteAnnotations for a run over ms: each
// annotation names the file of its own pin, and each file that could not
// be checked gets an error of its own.
func WriteFilesAnnotations(w io.Writer, ms []Manifest, rep *verify.Report) error {
	if res := single(ms); res != nil {
		return WriteAnnotations(w, res, rep)
	}
	ew := &errWriter{w: w}
	for _, m := range ms {
		if m.Err != nil {
			ew.printf("::error file=%s,title=%s::%s\n", escapeProperty(m.File), escapeProperty("manifest not checked"),
				escapeData(markdown.Plain(errLine(m.Err), maxActionsMessage)))
		}
	}
	writeAnnotations(ew, func(file string) string { return file }, rep)
	return ew.err
}

// writeAnnotations writes rep's annotations; file names the file of a pin
// or finding from the file it says it is in.
func writeAnnotations(ew *errWriter, file func(string) string, rep *verify.Report) {
	url := func(u string) string { return markdown.Shorten(markdown.OneLine(u), markdown.MaxInline) }
	msg := func(s string) string { return escapeData(markdown.Plain(s, maxActionsMessage)) }
	for _, o := range rep.Outcomes {
		switch {
		case o.Finding != nil:
			// A finding about the whole module has no line: the
			// annotation goes on the file.
			pos := ""
			if o.Finding.Line > 0 {
				pos = fmt.Sprintf(",line=%d,col=%d", o.Finding.Line, o.Finding.Column)
			}
			ew.printf("::warning file=%s%s,title=%s::%s\n", escapeProperty(file(o.Finding.File)), pos,
				escapeProperty("pin "+string(o.Status)), msg(url(o.Finding.Path)+": "+findingDetail(o.Finding)))
		case o.Status == verify.StatusDrift:
			for _, p := range o.Drifted() {
				ew.printf("::error file=%s,line=%d,col=%d,title=%s::%s\n", escapeProperty(file(p.File)), p.SHASpan.Line,
					p.SHASpan.Column, escapeProperty(o.Algorithm.Title()+" drift"),
					msg(fmt.Sprintf("%s\nexpected %s\ngot      %s", url(o.URL), p.Shown(), o.Got)))
			}
		case o.Status != verify.StatusOK:
			for _, p := range o.Pins {
				ew.printf("::warning file=%s,line=%d,col=%d,title=%s::%s\n", escapeProperty(file(p.File)), p.SHASpan.Line,
					p.SHASpan.Column, escapeProperty("asset "+string(o.Status)), msg(url(o.URL)+": "+o.Err))
			}
		}
	}
}

// maxActionsMessage bounds one annotation's message, the same as GitHub's
// check-run annotations (64 KB).
const maxActionsMessage = markdown.MaxAnnotationMessage

// Escaping as the Actions runner decodes it (toolkit's command.ts).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
