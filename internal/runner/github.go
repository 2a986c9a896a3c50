package runner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/issues/ghissues"
	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/repoconfig"
	"github.com/pindrift/pindrift/internal/shortsha"
)

// postCheck creates a completed check run on sha.
func (r *Runner) postCheck(ctx context.Context, gh *github.Client, owner, name, sha string, c Check) error {
	return r.postCheckFor(ctx, gh, owner, name, sha, "", c)
}

// postCheckFor creates a completed check run on sha; externalID ("pr:N")
// ties a pull request's check to its PR, which GitHub does not do for fork
// PRs, so that a re-run request can name the PR again. GitHub takes 50
// annotations a request: the run is created, completed, with the first
// 50, and each further 50 are appended by an update, so a failed update
// still leaves the right conclusion.
func (r *Runner) postCheckFor(ctx context.Context, gh *github.Client, owner, name, sha, externalID string, c Check) error {
	var anns []*github.CheckRunAnnotation
	for _, a := range c.Annotations {
		anns = append(anns, &github.CheckRunAnnotation{
			Path: github.String(a.Path), StartLine: github.Int(a.Line), EndLine: github.Int(a.Line),
			AnnotationLevel: github.String(a.Level), Title: github.String(a.Title), Message: github.String(a.Message),
		})
	}
	batch := func() []*github.CheckRunAnnotation {
		n := min(len(anns), markdown.MaxAnnotationsPerRequest)
		b := anns[:n]
		anns = anns[n:]
		return b
	}
	output := func() *github.CheckRunOutput {
		return &github.CheckRunOutput{Title: github.String(c.Title), Summary: github.String(c.Summary),
			Text: github.String(c.Text), Annotations: batch()}
	}
	run, _, err := gh.Checks.CreateCheckRun(ctx, owner, name, github.CreateCheckRunOptions{
		Name: CheckName, HeadSHA: sha, Status: github.String("completed"), Conclusion: github.String(c.Conclusion),
		ExternalID:  optional(externalID),
		CompletedAt: &github.Timestamp{Time: r.d.Now()},
		Output:      output(),
	})
	if err != nil {
		return fmt.Errorf("post check run on %s/%s@%s: %w", owner, name, shortsha.Of(sha, shortsha.Commit), err)
	}
	for len(anns) > 0 {
		if _, _, err := gh.Checks.UpdateCheckRun(ctx, owner, name, run.GetID(), github.UpdateCheckRunOptions{
			Name: CheckName, Output: output(),
		}); err != nil {
			return fmt.Errorf("add annotations to check run %d on %s/%s@%s: %w", run.GetID(), owner, name, shortsha.Of(sha, shortsha.Commit), err)
		}
	}
	return nil
}

// hasWrite reports whether login may push to the repository.
func hasWrite(ctx context.Context, gh *github.Client, owner, name, login string) (bool, error) {
	p, _, err := gh.Repositories.GetPermissionLevel(ctx, owner, name, login)
	if err != nil {
		return false, fmt.Errorf("permission of %s on %s/%s: %w", login, owner, name, err)
	}
	switch p.GetPermission() {
	case "admin", "maintain", "write":
		return true, nil
	}
	return false, nil
}

// commentConfigError tells the open tracking issue, once per distinct
// error, that the configuration is invalid. Without an open tracking issue
// there is nowhere to say it but the logs (and the check run of the next
// push that touches the file).
func (r *Runner) commentConfigError(ctx context.Context, gh *github.Client, owner, name string, cfgErr error) error {
	repo := issues.Repo{Owner: owner, Name: name, WebURL: r.d.WebURL}
	ex, err := ghissues.New(gh, r.d.AppLogin).TrackingIssues(ctx, repo)
	if err != nil || len(ex.Open) == 0 {
		return errors.Join(err, fmt.Errorf("configuration of %s/%s: %w", owner, name, cfgErr))
	}
	sum := sha256.Sum256([]byte(cfgErr.Error()))
	marker := "<!-- pindrift:config-error:" + hex.EncodeToString(sum[:8]) + " -->"
	number := ex.Open[0].Number
	comments, _, err := gh.Issues.ListComments(ctx, owner, name, number, &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}})
	if err != nil {
		return fmt.Errorf("list comments of #%d: %w", number, err)
	}
	for _, c := range comments {
		if strings.Contains(c.GetBody(), marker) {
			return nil // said already
		}
	}
	// The error quotes the file: a fence no line of it can close, and a
	// body within GitHub's limit.
	head := fmt.Sprintf("%s\npindrift cannot use %s, so it stopped verifying this repository until the file is fixed:\n\n",
		marker, markdown.Code(repoconfig.Path))
	body := head + markdown.BlockWithin("", 2*markdown.MaxInline, markdown.MaxBody-len(head), strings.Split(cfgErr.Error(), "\n")...)
	if _, _, err := gh.Issues.CreateComment(ctx, owner, name, number, &github.IssueComment{Body: &body}); err != nil {
		return fmt.Errorf("comment on #%d: %w", number, err)
	}
	return nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
