package report

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
)

// maxStepSummary is GitHub's limit on one step's job summary (1 MiB);
// rows that do not fit are counted instead.
const maxStepSummary = 1 << 20

// AppendStepSummary appends the Markdown report to the job summary file.
func AppendStepSummary(path string, ms []Manifest, rep *verify.Report) error {
	fh, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if err := WriteFilesStepSummary(fh, ms, rep); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

// WriteStepSummary writes the report as Markdown for the job summary,
// which is public: every URL, path and message is shown as inert code
// (package markdown), and rows beyond GitHub's 1 MiB are counted.
func WriteStepSummary(w io.Writer, res *pin.Result, rep *verify.Report) error {
	var b strings.Builder
	writeSummaryHeading(&b, rep.Summary, 0)
	fmt.Fprintf(&b, "%s\n\n", markdown.Code(res.File))
	writeSummaryCounts(&b, rep.Summary)
	budget := markdown.NewBudget(maxStepSummary - b.Len() - 2*summaryNoteRoom)
	writeSummaryTables(&b, budget, func(string) string { return res.File }, rep)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteFilesStepSummary is WriteStepSummary for a run over ms: the
// verdict over every file, a row of counts per file, the files that
// could not be checked, then the tables, each row naming its pin's file.
func WriteFilesStepSummary(w io.Writer, ms []Manifest, rep *verify.Report) error {
	if res := single(ms); res != nil {
		return WriteStepSummary(w, res, rep)
	}
	var b strings.Builder
	s := rep.Summary
	writeSummaryHeading(&b, s, Unreadable(ms))
	budget := markdown.NewBudget(maxStepSummary - b.Len() - 4*summaryNoteRoom)
	var rows, bad []string
	for _, v := range splitByFile(ms, rep) {
		if v.Err != nil {
			bad = append(bad, fmt.Sprintf("| %s | %s |\n", markdown.Cell(v.File), markdown.Cell(errLine(v.Err))))
			continue
		}
		fs := v.rep.Summary
		rows = append(rows, fmt.Sprintf("| %s | %d | %d | %d | %d | %d | %d | %d |\n", markdown.Cell(v.File),
			fs.OK, fs.Drift, fs.Missing, fs.Unreachable, fs.Refused, fs.Unresolved, fs.Invalid))
	}
	rows = append(rows, fmt.Sprintf("| **all %d** | %d | %d | %d | %d | %d | %d | %d |\n", len(ms),
		s.OK, s.Drift, s.Missing, s.Unreachable, s.Refused, s.Unresolved, s.Invalid))
	writeRows(&b, budget, "| File | ok | drift | missing | unreachable | refused | unresolved | invalid |\n"+
		"|---|---:|---:|---:|---:|---:|---:|---:|\n", rows)
	if len(bad) > 0 {
		writeRows(&b, budget, "### Not checked\n\n| File | Error |\n|---|---|\n", bad)
	}
	writeSummaryTables(&b, budget, func(file string) string { return file }, rep)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeSummaryHeading writes the verdict: drift first, then files that
// could not be checked, then what could not be verified.
func writeSummaryHeading(b *strings.Builder, s verify.Summary, unreadable int) {
	switch {
	case s.Drift > 0:
		fmt.Fprintf(b, "## :x: pindrift: %s changed\n\n", Count(s.Drift, "pinned asset", "pinned assets"))
	case unreadable > 0:
		fmt.Fprintf(b, "## :x: pindrift: %s could not be checked\n\n", Count(unreadable, "manifest", "manifests"))
	case s.Missing > 0:
		fmt.Fprintf(b, "## :x: pindrift: %s no longer %s (upload the file again, or change the pin)\n\n",
			Count(s.Missing, "pinned asset", "pinned assets"), plural(s.Missing, "exists", "exist"))
	case s.Unverified() > 0:
		fmt.Fprintf(b, "## :warning: pindrift: no drift, %d could not be verified\n\n", s.Unverified())
	default:
		fmt.Fprintf(b, "## :white_check_mark: pindrift: every pinned asset matches\n\n")
	}
}

func writeSummaryCounts(b *strings.Builder, s verify.Summary) {
	fmt.Fprintf(b, "| ok | drift | missing | unreachable | refused | unresolved | invalid |\n")
	fmt.Fprintf(b, "|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(b, "| %d | %d | %d | %d | %d | %d | %d |\n\n", s.OK, s.Drift, s.Missing, s.Unreachable, s.Refused, s.Unresolved, s.Invalid)
}

// writeSummaryTables writes the drift and the not-verified tables; file
// names the file of a pin or finding from the file it says it is in.
func writeSummaryTables(b *strings.Builder, budget *markdown.Budget, file func(string) string, rep *verify.Report) {
	s := rep.Summary
	if s.Drift > 0 {
		var rows []string
		for _, o := range rep.Outcomes {
			for _, p := range o.Drifted() {
				rows = append(rows, fmt.Sprintf("| %s | %s %s | %s | %s |\n", markdown.Cell(o.URL), markdown.Cell(location(file(p.File), p)),
					markdown.Cell(p.Path), markdown.Cell(p.Shown()), markdown.Cell(o.Got)))
			}
		}
		writeRows(b, budget, "### Drift\n\n| Asset | Pinned at | Expected | Got |\n|---|---|---|---|\n", rows)
	}
	if s.Unverified() > 0 {
		var rows []string
		for _, o := range rep.Outcomes {
			if o.Status == verify.StatusOK || o.Status == verify.StatusDrift {
				continue
			}
			what := markdown.Cell(o.URL)
			if f := o.Finding; f != nil {
				where := file(f.File)
				if f.Line > 0 {
					where = fmt.Sprintf("%s:%d", where, f.Line)
				}
				what = markdown.Cell(where) + " " + markdown.Cell(f.Path)
			}
			detail := o.Err
			if o.Finding != nil {
				detail = findingDetail(o.Finding)
			}
			rows = append(rows, fmt.Sprintf("| %s | %s | %s |\n", o.Status, what, markdown.Cell(detail)))
		}
		writeRows(b, budget, "### Not verified\n\n| Status | Asset or location | Reason |\n|---|---|---|\n", rows)
	}
}

// summaryNoteRoom is kept for each table's line on what was left out.
const summaryNoteRoom = 200

// writeRows writes a table's head and the rows that fit in budget, then a
// line counting those that did not.
func writeRows(b *strings.Builder, budget *markdown.Budget, head string, rows []string) {
	if !budget.Take(head) {
		fmt.Fprintf(b, "_%s not shown: GitHub limits a job summary to 1 MiB._\n\n", Count(len(rows), "row", "rows"))
		return
	}
	b.WriteString(head)
	shown := 0
	for _, r := range rows {
		if !budget.Take(r) {
			break
		}
		b.WriteString(r)
		shown++
	}
	if left := len(rows) - shown; left > 0 {
		fmt.Fprintf(b, "\n_%d more rows not shown: GitHub limits a job summary to 1 MiB; the annotations and `--json` have them all._\n", left)
	}
	b.WriteString("\n")
}
