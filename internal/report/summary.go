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
func AppendStepSummary(path string, res *pin.Result, rep *verify.Report) error {
	fh, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if err := WriteStepSummary(fh, res, rep); err != nil {
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
	s := rep.Summary
	switch {
	case s.Drift > 0:
		fmt.Fprintf(&b, "## :x: pindrift: %s changed\n\n", Count(s.Drift, "pinned asset", "pinned assets"))
	case s.Missing > 0:
		fmt.Fprintf(&b, "## :x: pindrift: %s no longer %s (upload the file again, or change the pin)\n\n",
			Count(s.Missing, "pinned asset", "pinned assets"), plural(s.Missing, "exists", "exist"))
	case s.Unverified() > 0:
		fmt.Fprintf(&b, "## :warning: pindrift: no drift, %d could not be verified\n\n", s.Unverified())
	default:
		fmt.Fprintf(&b, "## :white_check_mark: pindrift: every pinned asset matches\n\n")
	}
	fmt.Fprintf(&b, "%s\n\n", markdown.Code(res.File))
	fmt.Fprintf(&b, "| ok | drift | missing | unreachable | refused | unresolved | invalid |\n")
	fmt.Fprintf(&b, "|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| %d | %d | %d | %d | %d | %d | %d |\n\n", s.OK, s.Drift, s.Missing, s.Unreachable, s.Refused, s.Unresolved, s.Invalid)
	budget := markdown.NewBudget(maxStepSummary - b.Len() - 2*summaryNoteRoom)
	if s.Drift > 0 {
		var rows []string
		for _, o := range rep.Outcomes {
			for _, p := range o.Drifted() {
				rows = append(rows, fmt.Sprintf("| %s | %s %s | %s | %s |\n", markdown.Cell(o.URL), markdown.Cell(location(res.File, p)),
					markdown.Cell(p.Path), markdown.Cell(p.Shown()), markdown.Cell(o.Got)))
			}
		}
		writeRows(&b, budget, "### Drift\n\n| Asset | Pinned at | Expected | Got |\n|---|---|---|---|\n", rows)
	}
	if s.Unverified() > 0 {
		var rows []string
		for _, o := range rep.Outcomes {
			if o.Status == verify.StatusOK || o.Status == verify.StatusDrift {
				continue
			}
			what := markdown.Cell(o.URL)
			if f := o.Finding; f != nil {
				where := res.File
				if f.Line > 0 {
					where = fmt.Sprintf("%s:%d", res.File, f.Line)
				}
				what = markdown.Cell(where) + " " + markdown.Cell(f.Path)
			}
			detail := o.Err
			if o.Finding != nil {
				detail = findingDetail(o.Finding)
			}
			rows = append(rows, fmt.Sprintf("| %s | %s | %s |\n", o.Status, what, markdown.Cell(detail)))
		}
		writeRows(&b, budget, "### Not verified\n\n| Status | Asset or location | Reason |\n|---|---|---|\n", rows)
	}
	_, err := io.WriteString(w, b.String())
	return err
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
