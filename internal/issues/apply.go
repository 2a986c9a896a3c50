package issues

import (
	"context"
	"fmt"
)

// Client is what the tracker needs from GitHub. The real implementation is
// in package ghissues; tests use the fake GitHub in internal/ghfake,
// or the in-memory one in internal/runner/runnertest.
type Client interface {
	// TrackingIssues returns the App's issues in repo that carry Marker:
	// the open ones oldest first, and the most recently closed one.
	TrackingIssues(ctx context.Context, repo Repo) (Existing, error)
	// EnsureLabels creates the labels that do not exist yet.
	EnsureLabels(ctx context.Context, repo Repo, labels []string) error
	CreateIssue(ctx context.Context, repo Repo, is NewIssue) (number int, err error)
	// UpdateIssue changes what is set: the body, and the state ("open",
	// or "closed" with a reason: "completed" or "not_planned").
	UpdateIssue(ctx context.Context, repo Repo, number int, u Update) error
	Comment(ctx context.Context, repo Repo, number int, body string) error
	// Comments returns the bodies of the first 100 comments on issue
	// number, oldest first.
	Comments(ctx context.Context, repo Repo, number int) ([]string, error)
	// PostComment posts body on issue number, whatever was said before.
	PostComment(ctx context.Context, repo Repo, number int, body string) error
}

// Update is a change to an issue; nil fields stay as they are.
type Update struct {
	Body        *string
	State       *string
	StateReason *string
}

// Apply carries out plan and returns the open tracking issue's number
// afterwards (0 if there is none). Requests are made in an order that leaves GitHub sensible
// if one fails halfway: the next run decides again from what is there.
func Apply(ctx context.Context, c Client, repo Repo, plan Plan) (int, error) {
	number := plan.Keep
	for _, d := range plan.CloseDuplicates {
		if err := c.Comment(ctx, repo, d.Number, d.Comment); err != nil {
			return 0, fmt.Errorf("comment on duplicate #%d: %w", d.Number, err)
		}
		if err := c.UpdateIssue(ctx, repo, d.Number, Update{State: ptr("closed"), StateReason: ptr("not_planned")}); err != nil {
			return 0, fmt.Errorf("close duplicate #%d: %w", d.Number, err)
		}
	}
	if plan.Create != nil {
		if err := c.EnsureLabels(ctx, repo, plan.Create.Labels); err != nil {
			return 0, fmt.Errorf("labels: %w", err)
		}
		n, err := c.CreateIssue(ctx, repo, *plan.Create)
		if err != nil {
			return 0, fmt.Errorf("create tracking issue: %w", err)
		}
		number = n
	}
	// Reopen and the new body go in one request; closing waits for the
	// comment that explains it.
	if plan.Reopen != 0 || (plan.Edit != nil && plan.Close == 0) {
		u := Update{}
		n := plan.Reopen
		if plan.Edit != nil {
			u.Body, n = &plan.Edit.Body, plan.Edit.Number
		}
		if plan.Reopen != 0 {
			u.State = ptr("open")
		}
		if err := c.UpdateIssue(ctx, repo, n, u); err != nil {
			return 0, fmt.Errorf("update #%d: %w", n, err)
		}
	}
	if plan.Comment != nil {
		if err := c.Comment(ctx, repo, plan.Comment.Number, plan.Comment.Body); err != nil {
			return 0, fmt.Errorf("comment on #%d: %w", plan.Comment.Number, err)
		}
	}
	if plan.Close != 0 {
		u := Update{State: ptr("closed"), StateReason: ptr("completed")}
		if plan.Edit != nil {
			u.Body = &plan.Edit.Body
		}
		if err := c.UpdateIssue(ctx, repo, plan.Close, u); err != nil {
			return 0, fmt.Errorf("close #%d: %w", plan.Close, err)
		}
		return 0, nil
	}
	return number, nil
}

func ptr[T any](v T) *T { return &v }
