package ghrunner

import (
	"context"

	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/runner"
)

func (c *Client) CreateCheckRun(ctx context.Context, repo issues.Repo, run runner.CheckRun) (int64, error) {
	opts := github.CreateCheckRunOptions{
		Name: run.Name, HeadSHA: run.HeadSHA, Status: github.String("completed"), Conclusion: github.String(run.Conclusion),
		CompletedAt: &github.Timestamp{Time: run.CompletedAt},
		Output:      output(run.Output),
	}
	if run.ExternalID != "" {
		opts.ExternalID = github.String(run.ExternalID)
	}
	created, _, err := c.gh.Checks.CreateCheckRun(ctx, repo.Owner, repo.Name, opts)
	if err != nil {
		return 0, err
	}
	return created.GetID(), nil
}

func (c *Client) AddAnnotations(ctx context.Context, repo issues.Repo, id int64, name string, out runner.CheckOutput) error {
	_, _, err := c.gh.Checks.UpdateCheckRun(ctx, repo.Owner, repo.Name, id, github.UpdateCheckRunOptions{Name: name, Output: output(out)})
	return err
}

func output(o runner.CheckOutput) *github.CheckRunOutput {
	out := &github.CheckRunOutput{Title: github.String(o.Title), Summary: github.String(o.Summary), Text: github.String(o.Text)}
	for _, a := range o.Annotations {
		out.Annotations = append(out.Annotations, &github.CheckRunAnnotation{
			Path: github.String(a.Path), StartLine: github.Int(a.Line), EndLine: github.Int(a.Line),
			AnnotationLevel: github.String(a.Level), Title: github.String(a.Title), Message: github.String(a.Message),
		})
	}
	return out
}
