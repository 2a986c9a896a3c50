package fixpr

import (
	"fmt"
	"strings"

	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/patch"
)

// bodyFiles is Body for a fix across several files, or one that leaves a
// file alone: the changes in a table per file, in the configuration's
// order, then what the PR does not fix and why.
func bodyFiles(f Facts, fixable, blocked []*patch.Result) string {
	var b strings.Builder
	b.WriteString(Marker + "\n")
	var all []patch.Change
	for _, fx := range fixable {
		all = append(all, fx.Changes...)
	}
	where := fmt.Sprintf("%d files", len(fixable))
	if len(fixable) == 1 {
		where = markdown.Code(fixable[0].File)
	}
	fmt.Fprintf(&b, "This pull request rewrites %d %s %s in %s to match the bytes now served at %s URLs",
		len(all), patch.DigestName(all), plural(len(all), "literal", "literals"), where, plural(len(all), "its", "their"))
	if f.TrackingIssue != 0 {
		fmt.Fprintf(&b, " (tracking issue #%d)", f.TrackingIssue)
	}
	b.WriteString(". Nothing else in the files changes.\n\n")
	b.WriteString(warning)

	budget := markdown.NewBudget(markdown.MaxBody - b.Len() - len(check) - len(tail) - len(detailsOpen) - len(detailsClose) - len(handsOff) - 2)
	budget.Reserve(noteRoom)
	var listed []*patch.Result
	rowsLeft := 0
	for i, fx := range fixable {
		head := "### In " + markdown.Code(fx.File) + "\n\n" + changeHeader
		if i > 0 {
			head = "\n" + head
		}
		if !budget.Take(head) {
			for _, rest := range fixable[i:] {
				rowsLeft += len(rest.Changes)
			}
			break
		}
		b.WriteString(head)
		shown := &patch.Result{File: fx.File}
		for j, c := range fx.Changes {
			row := changeRow(f, fx.File, c)
			if !budget.Take(row) {
				rowsLeft += len(fx.Changes) - j
				break
			}
			b.WriteString(row)
			shown.Changes = append(shown.Changes, c)
		}
		listed = append(listed, shown)
	}
	budget.Release(noteRoom)
	if rowsLeft > 0 {
		note := fmt.Sprintf("\n_%d more rewritten %s not listed: GitHub limits a pull request's description to %d characters; the commit changes them all._\n",
			rowsLeft, plural(rowsLeft, "literal is", "literals are"), markdown.MaxBody)
		budget.Take(note)
		b.WriteString(note)
	}

	if len(blocked) > 0 || len(f.Unread) > 0 {
		const head = "\n### Not fixed here\n\n"
		if budget.Reserve(len(head) + noteRoom) {
			b.WriteString(head)
			left := 0
			for i, fx := range blocked {
				line := fmt.Sprintf("- Not fixed in %s: %s Update these pins by hand; see the tracking issue.\n",
					markdown.Code(fx.File), blockedReason([]*patch.Result{fx}))
				if !budget.Take(line) {
					left = len(blocked) - i
					break
				}
				b.WriteString(line)
			}
			for i, path := range f.Unread {
				if left > 0 {
					left += len(f.Unread) - i
					break
				}
				line := fmt.Sprintf("- %s could not be read, so pindrift does not know whether its pins drifted; see the tracking issue.\n", markdown.Code(path))
				if !budget.Take(line) {
					left = len(f.Unread) - i
					break
				}
				b.WriteString(line)
			}
			budget.Release(noteRoom)
			if left > 0 {
				fmt.Fprintf(&b, "- _%d more files not listed: GitHub limits a pull request's description to %d characters._\n", left, markdown.MaxBody)
			}
		}
	}
	b.WriteString(check)
	writeDetails(&b, listed, budget)
	b.WriteString(tail)
	return b.String()
}
