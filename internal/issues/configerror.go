package issues

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/strictyaml"
)

// configIssueMarker marks an issue opened for an invalid configuration
// because no tracking issue was open. Such an issue carries the Marker
// too, so that TrackingIssues finds it again: a later run that meets the
// same problem says nothing, and the run that finds the file valid closes
// it (DecideConfigFixed) before the tracking issue is decided, taking the
// Marker out of its body so that it is never reopened as a tracking
// issue.
const configIssueMarker = "<!-- pindrift:config-issue -->"

// ConfigIssueTitle is the title of the issue opened for an invalid
// configuration at path. The path is the App's own (.github/pindrift.yml),
// never the repository's text.
func ConfigIssueTitle(path string) string { return "pindrift cannot use " + path }

// ConfigPlan is what an invalid configuration is told through: at most
// one of a new issue and a comment.
type ConfigPlan struct {
	Create  *NewIssue
	Comment *Comment
}

// Empty reports whether the plan says nothing.
func (p ConfigPlan) Empty() bool { return p.Create == nil && p.Comment == nil }

// DecideConfigError works out how people are told that the configuration
// file at path cannot be used because of problem. With an open tracking
// issue (or an earlier issue about the configuration), a comment on it,
// unless its body or one of comments (the bodies of its comments)
// already says this problem; without one, a new issue titled for the
// problem, labelled with DefaultLabel (the file that names the labels is
// the one that cannot be read). Each distinct problem is said once,
// however many runs meet it, by a marker derived from its text.
func DecideConfigError(ex Existing, comments []string, path, problem string) ConfigPlan {
	sum := sha256.Sum256([]byte(problem))
	marker := "<!-- pindrift:config-error:" + hex.EncodeToString(sum[:8]) + " -->"
	head := fmt.Sprintf("pindrift cannot use %s, so it stopped verifying this repository until the file is fixed:\n\n",
		markdown.Code(path))
	if len(ex.Open) == 0 {
		if last := ex.LastClosed; last != nil && strings.Contains(last.Body, configIssueMarker) && strings.Contains(last.Body, marker) {
			// A person closed the issue that says this very problem:
			// opening it again on every run would override them.
			return ConfigPlan{}
		}
		head = Marker + "\n" + configIssueMarker + "\n" + marker + "\n" + head
		const tail = "\n\npindrift closes this issue once the file is valid again."
		return ConfigPlan{Create: &NewIssue{Title: ConfigIssueTitle(path), Labels: []string{DefaultLabel},
			Body: head + quote(problem, markdown.MaxBody-len(head)-len(tail)) + tail}}
	}
	open := ex.Open[0]
	if strings.Contains(open.Body, marker) {
		return ConfigPlan{}
	}
	for _, c := range comments {
		if strings.Contains(c, marker) {
			return ConfigPlan{}
		}
	}
	head = marker + "\n" + head
	return ConfigPlan{Comment: &Comment{Number: open.Number, Body: head + quote(problem, markdown.MaxBody-len(head))}}
}

// quote shows problem, which quotes the repository's file, in a fence no
// line of it can close, within limit bytes.
func quote(problem string, limit int) string {
	return markdown.BlockWithin("", 2*markdown.MaxInline, limit, strings.Split(problem, "\n")...)
}

// ConfigClose is an issue about the configuration to close now that the
// file is valid: its body (without the Marker) and a comment saying why.
type ConfigClose struct {
	Number  int
	Body    string
	Comment string
}

// DecideConfigFixed lists the open issues about the configuration to
// close, now that the configuration read at commit (on cause's run) is
// valid. Comments on a tracking issue about earlier problems stay: the
// tracking issue goes on tracking drift.
func DecideConfigFixed(ex Existing, repo Repo, commit, cause string) []ConfigClose {
	var out []ConfigClose
	run := Run{Repo: repo, Commit: commit, Trigger: cause}
	for _, is := range ex.Open {
		if !strings.Contains(is.Body, configIssueMarker) {
			continue
		}
		out = append(out, ConfigClose{Number: is.Number,
			Body: strings.Replace(is.Body, Marker+"\n", "", 1),
			Comment: fmt.Sprintf("The configuration is valid again at %s (%s): pindrift verifies this repository again. Closing.",
				commitLink(run), trigger(run))})
	}
	return out
}

// ApplyConfigError tells people, once per distinct problem, that the
// configuration at path is invalid: on the open tracking issue, or on an
// issue of its own when none is open (DecideConfigError), so that a
// problem met by a sweep or a release event is never only a log line.
func ApplyConfigError(ctx context.Context, c Client, repo Repo, path string, problem error) error {
	ex, err := c.TrackingIssues(ctx, repo)
	if err != nil {
		return fmt.Errorf("tracking issues: %w", err)
	}
	var comments []string
	if len(ex.Open) > 0 {
		number := ex.Open[0].Number
		if comments, err = c.Comments(ctx, repo, number); err != nil {
			return fmt.Errorf("list comments of #%d: %w", number, err)
		}
	}
	path, text := configProblem(path, problem)
	plan := DecideConfigError(ex, comments, path, text)
	if plan.Create != nil {
		if err := c.EnsureLabels(ctx, repo, plan.Create.Labels); err != nil {
			return fmt.Errorf("labels: %w", err)
		}
		if _, err := c.CreateIssue(ctx, repo, *plan.Create); err != nil {
			return fmt.Errorf("open an issue about %s: %w", path, err)
		}
	}
	if cm := plan.Comment; cm != nil {
		if err := c.PostComment(ctx, repo, cm.Number, cm.Body); err != nil {
			return fmt.Errorf("comment on #%d: %w", cm.Number, err)
		}
	}
	return nil
}

// configProblem is how an invalid configuration is told: the file's
// place and the problem's text. The text leaves out the ref the file was
// read at, which moves with every commit while the problem stays: it
// identifies the problem (DecideConfigError says each one once). A file
// from the owner's .github repository is named as that repository's, not
// as a file of this one.
func configProblem(path string, problem error) (string, string) {
	var se *strictyaml.Error
	if !errors.As(problem, &se) {
		return path, problem.Error()
	}
	c := *se
	c.Source = ""
	if se.OwnerDefault && se.Source != "" {
		repo, _, _ := strings.Cut(se.Source, "@")
		path = repo + ":" + se.File
	}
	return path, c.Error()
}

// ApplyConfigFixed closes the open issues about the configuration, now
// that it is valid at commit (DecideConfigFixed): a comment, then the
// close with the Marker taken out of the body.
func ApplyConfigFixed(ctx context.Context, c Client, repo Repo, commit, cause string) error {
	ex, err := c.TrackingIssues(ctx, repo)
	if err != nil {
		return fmt.Errorf("tracking issues: %w", err)
	}
	for _, cl := range DecideConfigFixed(ex, repo, commit, cause) {
		if err := c.Comment(ctx, repo, cl.Number, cl.Comment); err != nil {
			return fmt.Errorf("comment on #%d: %w", cl.Number, err)
		}
		if err := c.UpdateIssue(ctx, repo, cl.Number, Update{Body: &cl.Body, State: ptr("closed"), StateReason: ptr("completed")}); err != nil {
			return fmt.Errorf("close #%d: %w", cl.Number, err)
		}
	}
	return nil
}
