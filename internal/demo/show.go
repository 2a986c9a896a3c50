package demo

import (
	"fmt"
	"io"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/shortsha"
)

// narrator prints the story: numbered steps, what happened, and what a
// maintainer sees on GitHub.
type narrator struct {
	w    io.Writer
	st   style
	step int
}

func (n *narrator) printf(format string, args ...any) { fmt.Fprintf(n.w, format, args...) }

// heading starts a numbered step.
func (n *narrator) heading(title string) {
	n.step++
	n.printf("\n%s\n", n.st.heading(fmt.Sprintf("%d. %s", n.step, title)))
}

// say is one line of narration.
func (n *narrator) say(format string, args ...any) {
	n.printf("   %s\n", fmt.Sprintf(format, args...))
}

// ok is a narration line stating a check that passed.
func (n *narrator) ok(format string, args ...any) {
	n.printf("   %s %s\n", n.st.green("✓"), fmt.Sprintf(format, args...))
}

// sent says which webhook went to the App and how long its jobs took.
func (n *narrator) sent(event, action, took string) {
	n.printf("   %s %s %s delivered, signed, to the App; its jobs finished in %s\n",
		n.st.dim("→"), n.st.bold(event), action, took)
}

// block prints Markdown as GitHub would show it, framed and indented.
func (n *narrator) block(md string) {
	body := markdown(md, n.st)
	bar := n.st.dim("│ ")
	for _, l := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
		n.printf("     %s%s\n", bar, l)
	}
}

// issue shows an issue as its page does: number, state, title, who, labels, body.
func (n *narrator) issue(is ghfake.Issue) {
	n.printf("\n   %s %s  %s\n", n.st.bold(fmt.Sprintf("#%d", is.Number)), n.st.state(is.State), n.st.bold(inline(is.Title, n.st)))
	meta := "opened by " + is.Author
	if len(is.Labels) > 0 {
		meta += " · labels: " + strings.Join(is.Labels, ", ")
	}
	n.printf("     %s\n", n.st.dim(meta))
	n.block(is.Body)
}

// pull shows a pull request's header and body.
func (n *narrator) pull(pr ghfake.PullRequest) {
	n.printf("\n   %s %s  %s\n", n.st.bold(fmt.Sprintf("#%d", pr.Number)), n.st.state(pr.State), n.st.bold(inline(pr.Title, n.st)))
	n.printf("     %s\n", n.st.dim(fmt.Sprintf("%s wants to merge 1 commit into %s from %s", pr.Author, pr.Base, pr.Head)))
	n.block(pr.Body)
}

// comment shows one comment under an issue or pull request.
func (n *narrator) comment(c ghfake.Comment) {
	n.printf("     %s\n", n.st.dim(c.Author+" commented:"))
	n.block(c.Body)
}

// diff shows the unified diff of a file between two versions.
func (n *narrator) diff(path, before, after string) {
	for _, l := range strings.Split(strings.TrimRight(unifiedDiff(path, before, after), "\n"), "\n") {
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
			l = n.st.bold(l)
		case strings.HasPrefix(l, "+"):
			l = n.st.green(l)
		case strings.HasPrefix(l, "-"):
			l = n.st.red(l)
		case strings.HasPrefix(l, "@@"):
			l = n.st.cyan(l)
		}
		n.printf("     %s\n", l)
	}
}

func unifiedDiff(path, before, after string) string {
	d, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(before), B: difflib.SplitLines(after),
		FromFile: "a/" + path, ToFile: "b/" + path, Context: 3,
	})
	if err != nil {
		// difflib fails only when writing to its own buffer does.
		return fmt.Sprintf("(no diff: %v)\n", err)
	}
	return d
}

// check shows a check run as the pull request's Checks tab does.
func (n *narrator) check(cr ghfake.CheckRun) {
	n.printf("\n   %s %s  %s\n", n.st.bold(cr.Name), n.st.conclusion(cr.Conclusion), cr.Output.Title)
	n.printf("     %s\n", n.st.dim(fmt.Sprintf("on %s · %d annotations", shortsha.Of(cr.HeadSHA, shortsha.Long), len(cr.Output.Annotations))))
	n.block(cr.Output.Summary)
	if strings.TrimSpace(cr.Output.Text) != "" {
		n.block(cr.Output.Text)
	}
}
