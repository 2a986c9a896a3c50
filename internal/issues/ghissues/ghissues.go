package ghissues

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/issues"
)

// Client talks to one GitHub installation.
type Client struct {
	gh *github.Client
	// appLogin is the App's bot user (e.g. "pindrift[bot]"): only issues it
	// opened are tracking issues, whatever their bodies say.
	appLogin string
}

var _ issues.Client = (*Client)(nil)

// New returns a client acting as the App whose bot login is appLogin.
func New(gh *github.Client, appLogin string) *Client {
	return &Client{gh: gh, appLogin: appLogin}
}

// TrackingIssues lists the App's issues (open and closed, oldest first)
// and keeps those that carry the marker.
func (c *Client) TrackingIssues(ctx context.Context, repo issues.Repo) (issues.Existing, error) {
	var ex issues.Existing
	var lastClosed *github.Issue
	opts := &github.IssueListByRepoOptions{
		State: "all", Creator: c.appLogin, Sort: "created", Direction: "asc",
		ListOptions: github.ListOptions{PerPage: 100},
	}
	for {
		page, resp, err := c.gh.Issues.ListByRepo(ctx, repo.Owner, repo.Name, opts)
		if err != nil {
			return ex, fmt.Errorf("list issues of %s: %w", repo.FullName(), err)
		}
		for _, is := range page {
			if is.IsPullRequest() || !strings.Contains(is.GetBody(), issues.Marker) ||
				!strings.EqualFold(is.GetUser().GetLogin(), c.appLogin) {
				continue
			}
			if is.GetState() == "open" {
				ex.Open = append(ex.Open, issues.Issue{Number: is.GetNumber(), Body: is.GetBody(), Open: true, Locked: is.GetLocked()})
				continue
			}
			if lastClosed == nil || is.GetClosedAt().After(lastClosed.GetClosedAt().Time) {
				lastClosed = is
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	if lastClosed != nil {
		// Who closed it is only in the single-issue view.
		full, _, err := c.gh.Issues.Get(ctx, repo.Owner, repo.Name, lastClosed.GetNumber())
		if err != nil {
			return ex, fmt.Errorf("get issue #%d of %s: %w", lastClosed.GetNumber(), repo.FullName(), err)
		}
		ex.LastClosed = &issues.Issue{
			Number: full.GetNumber(), Body: full.GetBody(), Locked: full.GetLocked(),
			ClosedByApp: strings.EqualFold(full.GetClosedBy().GetLogin(), c.appLogin),
		}
	}
	return ex, nil
}

// EnsureLabels creates missing labels; one created meanwhile by someone
// else (422) is fine.
func (c *Client) EnsureLabels(ctx context.Context, repo issues.Repo, labels []string) error {
	for _, name := range labels {
		_, _, err := c.gh.Issues.GetLabel(ctx, repo.Owner, repo.Name, name)
		if err == nil {
			continue
		}
		var er *github.ErrorResponse
		if !errors.As(err, &er) || er.Response == nil || er.Response.StatusCode != http.StatusNotFound {
			return fmt.Errorf("get label %q: %w", name, err)
		}
		_, _, err = c.gh.Issues.CreateLabel(ctx, repo.Owner, repo.Name, &github.Label{
			Name: github.String(name), Color: github.String("d93f0b"),
			Description: github.String("A pinned release asset no longer matches its SHA-256"),
		})
		if err != nil && !isStatus(err, http.StatusUnprocessableEntity) {
			return fmt.Errorf("create label %q: %w", name, err)
		}
	}
	return nil
}

func (c *Client) CreateIssue(ctx context.Context, repo issues.Repo, is issues.NewIssue) (int, error) {
	req := &github.IssueRequest{Title: &is.Title, Body: &is.Body, Labels: &is.Labels}
	if len(is.Assignees) > 0 {
		req.Assignees = &is.Assignees
	}
	created, _, err := c.gh.Issues.Create(ctx, repo.Owner, repo.Name, req)
	if err != nil {
		return 0, err
	}
	return created.GetNumber(), nil
}

func (c *Client) UpdateIssue(ctx context.Context, repo issues.Repo, number int, u issues.Update) error {
	_, _, err := c.gh.Issues.Edit(ctx, repo.Owner, repo.Name, number, &github.IssueRequest{
		Body: u.Body, State: u.State, StateReason: u.StateReason,
	})
	return err
}

func (c *Client) Comment(ctx context.Context, repo issues.Repo, number int, body string) error {
	return CommentOnce(ctx, c.gh, c.appLogin, repo, number, body)
}

// Comments returns the bodies of the first page (100) of comments.
func (c *Client) Comments(ctx context.Context, repo issues.Repo, number int) ([]string, error) {
	page, _, err := c.gh.Issues.ListComments(ctx, repo.Owner, repo.Name, number,
		&github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}})
	if err != nil {
		return nil, err
	}
	bodies := make([]string, 0, len(page))
	for _, cm := range page {
		bodies = append(bodies, cm.GetBody())
	}
	return bodies, nil
}

func (c *Client) PostComment(ctx context.Context, repo issues.Repo, number int, body string) error {
	_, _, err := c.gh.Issues.CreateComment(ctx, repo.Owner, repo.Name, number, &github.IssueComment{Body: &body})
	return err
}

// CommentOnce posts body on issue or pull request number unless the App's
// latest comment there already says exactly that. A write GitHub carried
// out but whose answer was lost (a 502) fails the job, and its retry
// decides the same comment again: it must not be posted twice.
func CommentOnce(ctx context.Context, gh *github.Client, appLogin string, repo issues.Repo, number int, body string) error {
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	page, resp, err := gh.Issues.ListComments(ctx, repo.Owner, repo.Name, number, opts)
	if err != nil {
		return fmt.Errorf("list comments of #%d: %w", number, err)
	}
	if resp.LastPage > 1 {
		// Only the newest comments matter; they are on the last page.
		opts.Page = resp.LastPage
		if page, _, err = gh.Issues.ListComments(ctx, repo.Owner, repo.Name, number, opts); err != nil {
			return fmt.Errorf("list comments of #%d: %w", number, err)
		}
	}
	for i := len(page) - 1; i >= 0; i-- {
		if strings.EqualFold(page[i].GetUser().GetLogin(), appLogin) {
			if page[i].GetBody() == body {
				return nil
			}
			break
		}
	}
	if _, _, err := gh.Issues.CreateComment(ctx, repo.Owner, repo.Name, number, &github.IssueComment{Body: &body}); err != nil {
		return fmt.Errorf("comment on #%d: %w", number, err)
	}
	return nil
}

func isStatus(err error, code int) bool {
	var er *github.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == code
}
