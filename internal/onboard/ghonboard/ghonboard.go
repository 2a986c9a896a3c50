package ghonboard

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/issues/ghissues"
	"github.com/pindrift/pindrift/internal/onboard"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
	"github.com/pindrift/pindrift/internal/patch/fixpr/ghfixpr"
)

// Client talks to one GitHub installation.
type Client struct {
	gh       *github.Client
	appLogin string
	fix      *ghfixpr.Client
}

var _ onboard.Client = (*Client)(nil)

// New returns a client acting as the App whose bot login is appLogin.
func New(gh *github.Client, appLogin string) *Client {
	return &Client{gh: gh, appLogin: appLogin, fix: ghfixpr.New(gh, appLogin)}
}

// PullRequests reads one page of pull requests from branch, newest first,
// and keeps the App's: a person's PR from a branch of the same name says
// nothing about what the repository wants from the App.
func (c *Client) PullRequests(ctx context.Context, repo issues.Repo, branch string) ([]onboard.PR, error) {
	prs, _, err := c.gh.PullRequests.List(ctx, repo.Owner, repo.Name, &github.PullRequestListOptions{
		State: "all", Head: repo.Owner + ":" + branch, Sort: "created", Direction: "desc",
		ListOptions: github.ListOptions{PerPage: onboard.MaxPRs},
	})
	if err != nil {
		return nil, fmt.Errorf("list pull requests from %s in %s: %w", branch, repo.FullName(), err)
	}
	var out []onboard.PR
	for _, pr := range prs {
		if !strings.EqualFold(pr.GetUser().GetLogin(), c.appLogin) || pr.GetHead().GetRef() != branch {
			continue
		}
		out = append(out, onboard.PR{Number: pr.GetNumber(), Open: pr.GetState() == "open",
			Merged: pr.MergedAt != nil, Body: pr.GetBody()})
	}
	return out, nil
}

// Branch reads the App's branch through ghfixpr, which tells whether only
// the App committed to it.
func (c *Client) Branch(ctx context.Context, repo issues.Repo, branch, base, path string) (*fixpr.Branch, error) {
	ex, err := c.fix.State(ctx, repo, branch, base, []string{path})
	if err != nil {
		return nil, err
	}
	return ex.Branch, nil
}

func (c *Client) Push(ctx context.Context, repo issues.Repo, p fixpr.Push) error {
	return c.fix.Push(ctx, repo, p)
}

func (c *Client) CreatePR(ctx context.Context, repo issues.Repo, pr fixpr.NewPR) (int, error) {
	return c.fix.CreatePR(ctx, repo, pr)
}

func (c *Client) UpdatePR(ctx context.Context, repo issues.Repo, u fixpr.PRUpdate) error {
	if err := c.fix.UpdatePR(ctx, repo, u); err != nil {
		return fmt.Errorf("update pull request #%d: %w", u.Number, err)
	}
	return nil
}

// Comment is idempotent, so a retried job does not answer twice.
func (c *Client) Comment(ctx context.Context, repo issues.Repo, number int, body string) error {
	return ghissues.CommentOnce(ctx, c.gh, c.appLogin, repo, number, body)
}
