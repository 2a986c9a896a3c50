package runner

import (
	"context"
	"fmt"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/shortsha"
)

// postCheck creates a completed check run on sha.
func (r *Runner) postCheck(ctx context.Context, gh Checks, repo issues.Repo, sha string, c Check) error {
	return r.postCheckFor(ctx, gh, repo, sha, "", c)
}

// postCheckFor creates a completed check run on sha; externalID ("pr:N")
// ties a pull request's check to its PR, which GitHub does not do for fork
// PRs, so that a re-run request can name the PR again. GitHub takes 50
// annotations a request: the run is created, completed, with the first
// 50, and each further 50 are appended by an update, so a failed update
// still leaves the right conclusion.
func (r *Runner) postCheckFor(ctx context.Context, gh Checks, repo issues.Repo, sha, externalID string, c Check) error {
	anns := c.Annotations
	output := func() CheckOutput {
		n := min(len(anns), markdown.MaxAnnotationsPerRequest)
		out := CheckOutput{Title: c.Title, Summary: c.Summary, Text: c.Text, Annotations: anns[:n]}
		anns = anns[n:]
		return out
	}
	id, err := gh.CreateCheckRun(ctx, repo, CheckRun{
		Name: CheckName, HeadSHA: sha, Conclusion: c.Conclusion, ExternalID: externalID,
		CompletedAt: r.d.Now(), Output: output(),
	})
	if err != nil {
		return fmt.Errorf("post check run on %s@%s: %w", repo.FullName(), shortsha.Of(sha, shortsha.Commit), err)
	}
	for len(anns) > 0 {
		if err := gh.AddAnnotations(ctx, repo, id, CheckName, output()); err != nil {
			return fmt.Errorf("add annotations to check run %d on %s@%s: %w", id, repo.FullName(), shortsha.Of(sha, shortsha.Commit), err)
		}
	}
	return nil
}
