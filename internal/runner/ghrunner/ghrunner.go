// Package ghrunner is the GitHub implementation of runner.GitHub, on
// go-github. It owns every request a run makes outside the tracking issue
// and the fix PR (those are ghissues and ghfixpr, which it hands out), and
// only translates: which request a run makes, and what it does with the
// answer, is decided in runner. It must not import runner's callers
// (server, jobs) nor hold any state beyond one installation's client.
package ghrunner

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/discover"
	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/issues/ghissues"
	"github.com/pindrift/pindrift/internal/onboard"
	"github.com/pindrift/pindrift/internal/onboard/ghonboard"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
	"github.com/pindrift/pindrift/internal/patch/fixpr/ghfixpr"
	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/shortsha"
	"github.com/pindrift/pindrift/internal/verify/ghrelease"
)

// SettingsLoader reads a repository's configuration at ref, returning
// repoconfig.ErrNotConfigured or a *repoconfig.Error as runner.GitHub's
// Settings does. It needs go-github because the configuration is read
// with go-githubapp's appconfig.
type SettingsLoader func(ctx context.Context, gh *github.Client, owner, repo, ref string) (*runner.Settings, error)

// Options are what every installation's Client shares.
type Options struct {
	// AppLogin is the App's bot user: only issues and branches it made are
	// the App's.
	AppLogin string
	// WebURL is the web root that release download URLs start with.
	WebURL   string
	Settings SettingsLoader
	// Anonymous is a client of the same API without credentials: it reads
	// the releases of repositories more private than the one verified, so
	// nothing private reaches a public check run or issue. Nil builds one
	// from the installation client's API URL.
	Anonymous *github.Client
}

// Client is one installation's GitHub.
type Client struct {
	gh   *github.Client
	opts Options
}

var _ runner.GitHub = (*Client)(nil)

// New returns the GitHub of the installation gh acts as; gh sends the
// installation's token to the API host only.
func New(gh *github.Client, opts Options) *Client {
	return &Client{gh: gh, opts: opts}
}

// Installations adapts a source of installation clients (the server's, a
// test's) to runner.Deps.Installation.
func Installations(client func(ctx context.Context, id int64) (*github.Client, error), opts Options) func(context.Context, int64) (runner.GitHub, error) {
	return func(ctx context.Context, id int64) (runner.GitHub, error) {
		gh, err := client(ctx, id)
		if err != nil {
			return nil, err
		}
		return New(gh, opts), nil
	}
}

func (c *Client) Settings(ctx context.Context, repo issues.Repo, ref string) (*runner.Settings, error) {
	return c.opts.Settings(ctx, c.gh, repo.Owner, repo.Name, ref)
}

func (c *Client) Issues() issues.Client { return ghissues.New(c.gh, c.opts.AppLogin) }

func (c *Client) FixPR() fixpr.Client { return ghfixpr.New(c.gh, c.opts.AppLogin) }

func (c *Client) Onboard() onboard.Client { return ghonboard.New(c.gh, c.opts.AppLogin) }

// Releases reads release metadata with the installation's token for home
// and repositories no more private than it, without credentials for the
// others.
func (c *Client) Releases(home runner.Repository) (runner.Releases, error) {
	anon := c.opts.Anonymous
	if anon == nil {
		anon = github.NewClient(&http.Client{Timeout: ghrelease.DefaultTimeout})
		anon.BaseURL = c.gh.BaseURL
	}
	res, err := ghrelease.New(ghrelease.Options{WebURL: c.opts.WebURL, Client: c.gh, Anonymous: anon,
		Home: &ghrelease.Repo{Owner: home.Owner, Name: home.Name, Visibility: home.Visibility}})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (c *Client) Repository(ctx context.Context, repo issues.Repo) (runner.Repository, error) {
	r, _, err := c.gh.Repositories.Get(ctx, repo.Owner, repo.Name)
	if err != nil {
		return runner.Repository{}, err
	}
	return repository(r), nil
}

// repository reads a repository's visibility from its private flag when
// the API leaves the visibility out (GitHub Enterprise Server before 3.0).
func repository(r *github.Repository) runner.Repository {
	vis := r.GetVisibility()
	if vis == "" {
		vis = "public"
		if r.GetPrivate() {
			vis = "private"
		}
	}
	return runner.Repository{Owner: r.GetOwner().GetLogin(), Name: r.GetName(), DefaultBranch: r.GetDefaultBranch(), Visibility: vis}
}

func (c *Client) BranchHead(ctx context.Context, repo issues.Repo, branch string) (string, error) {
	b, _, err := c.gh.Repositories.GetBranch(ctx, repo.Owner, repo.Name, branch, 0)
	if err != nil {
		return "", err
	}
	return b.GetCommit().GetSHA(), nil
}

func (c *Client) PullRequest(ctx context.Context, repo issues.Repo, number int) (runner.PullRequest, error) {
	pr, _, err := c.gh.PullRequests.Get(ctx, repo.Owner, repo.Name, number)
	if err != nil {
		return runner.PullRequest{}, err
	}
	return runner.PullRequest{Author: pr.GetUser().GetLogin(), BaseSHA: pr.GetBase().GetSHA(),
		Base: repository(pr.GetBase().GetRepo())}, nil
}

func (c *Client) Permission(ctx context.Context, repo issues.Repo, login string) (string, error) {
	p, _, err := c.gh.Repositories.GetPermissionLevel(ctx, repo.Owner, repo.Name, login)
	if err != nil {
		return "", err
	}
	return p.GetPermission(), nil
}

// ReadFile reads path at ref; a file the contents API does not inline
// (over 1 MB) comes through the blob API. Its errors are wrapped, since
// two requests can fail.
func (c *Client) ReadFile(ctx context.Context, repo issues.Repo, path, ref string, maxBytes int64) ([]byte, error) {
	owner, name := repo.Owner, repo.Name
	fc, _, _, err := c.gh.Repositories.GetContents(ctx, owner, name, path, &github.RepositoryContentGetOptions{Ref: ref})
	if isStatus(err, http.StatusNotFound) {
		return nil, fmt.Errorf("read %s at %s in %s/%s: %w", path, shortsha.Of(ref, shortsha.Commit), owner, name, runner.ErrNoFile)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s at %s in %s/%s: %w", path, shortsha.Of(ref, shortsha.Commit), owner, name, err)
	}
	if fc == nil || fc.GetType() != "file" {
		// A symbolic link is not followed: its target may be anywhere.
		what := "a directory"
		if fc != nil {
			what = "a " + fc.GetType()
		}
		return nil, fmt.Errorf("%s in %s/%s is %s, not a file: %w", path, owner, name, what, runner.ErrNotFile)
	}
	if int64(fc.GetSize()) > maxBytes {
		return nil, fmt.Errorf("%s in %s/%s is %d bytes, over the %d-byte limit: %w", path, owner, name, fc.GetSize(), maxBytes, runner.ErrTooLarge)
	}
	content, err := fc.GetContent()
	if err == nil && (content != "" || fc.GetSize() == 0) {
		return []byte(content), nil
	}
	raw, _, err := c.gh.Git.GetBlobRaw(ctx, owner, name, fc.GetSHA())
	if err != nil {
		return nil, fmt.Errorf("read %s in %s/%s: %w", path, owner, name, err)
	}
	return raw, nil
}

// Tree lists ref's tree recursively in one request. Folders are listed
// as discover.ModeFolder entries, submodules by their mode; a blob's size
// is GitHub's.
func (c *Client) Tree(ctx context.Context, repo issues.Repo, ref string) ([]discover.Entry, bool, error) {
	t, _, err := c.gh.Git.GetTree(ctx, repo.Owner, repo.Name, ref, true)
	if err != nil {
		return nil, false, fmt.Errorf("list the tree of %s/%s at %s: %w", repo.Owner, repo.Name, shortsha.Of(ref, shortsha.Commit), err)
	}
	entries := make([]discover.Entry, 0, len(t.Entries))
	for _, e := range t.Entries {
		mode := e.GetMode()
		if e.GetType() == "tree" {
			// GitHub writes a folder's mode as 040000; git itself as 40000.
			mode = discover.ModeFolder
		}
		entries = append(entries, discover.Entry{Path: e.GetPath(), Size: int64(e.GetSize()), Mode: mode})
	}
	return entries, t.GetTruncated(), nil
}

// ChangedFiles reads the comparison's first page: GitHub lists its files
// there, up to runner.MaxChangedFiles.
func (c *Client) ChangedFiles(ctx context.Context, repo issues.Repo, base, head string) ([]runner.ChangedFile, error) {
	cmp, _, err := c.gh.Repositories.CompareCommits(ctx, repo.Owner, repo.Name, base, head, &github.ListOptions{PerPage: 100})
	if err != nil {
		return nil, err
	}
	files := make([]runner.ChangedFile, 0, len(cmp.Files))
	for _, f := range cmp.Files {
		files = append(files, runner.ChangedFile{Name: f.GetFilename(), PreviousName: f.GetPreviousFilename()})
	}
	return files, nil
}

func (c *Client) Comment(ctx context.Context, repo issues.Repo, number int, body string) error {
	_, _, err := c.gh.Issues.CreateComment(ctx, repo.Owner, repo.Name, number, &github.IssueComment{Body: &body})
	return err
}

func isStatus(err error, code int) bool {
	var er *github.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == code
}
