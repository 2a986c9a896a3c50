package ghfixpr

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/issues/ghissues"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
)

// Client talks to one GitHub installation.
type Client struct {
	gh       *github.Client
	appLogin string

	mu    sync.Mutex
	repos map[string]*github.Repository
}

var _ fixpr.Client = (*Client)(nil)

// New returns a client acting as the App whose bot login is appLogin.
func New(gh *github.Client, appLogin string) *Client {
	return &Client{gh: gh, appLogin: appLogin, repos: map[string]*github.Repository{}}
}

// ErrDefaultBranch refuses any write to a repository's default branch.
var ErrDefaultBranch = errors.New("refusing to write to the default branch")

func (c *Client) repository(ctx context.Context, repo issues.Repo) (*github.Repository, error) {
	c.mu.Lock()
	r, ok := c.repos[repo.FullName()]
	c.mu.Unlock()
	if ok {
		return r, nil
	}
	r, _, err := c.gh.Repositories.Get(ctx, repo.Owner, repo.Name)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", repo.FullName(), err)
	}
	c.mu.Lock()
	c.repos[repo.FullName()] = r
	c.mu.Unlock()
	return r, nil
}

// guard refuses branch names that are, or could be taken for, the default
// branch.
func (c *Client) guard(ctx context.Context, repo issues.Repo, branch string) error {
	r, err := c.repository(ctx, repo)
	if err != nil {
		return err
	}
	b := strings.TrimPrefix(branch, "refs/heads/")
	if b == "" || strings.EqualFold(b, r.GetDefaultBranch()) {
		return fmt.Errorf("%s branch %q: %w", repo.FullName(), branch, ErrDefaultBranch)
	}
	return nil
}

// State reads the App's branch, the content of each of paths on it, and
// its open pull request.
func (c *Client) State(ctx context.Context, repo issues.Repo, branch, base string, paths []string) (fixpr.Existing, error) {
	var ex fixpr.Existing
	ref, _, err := c.gh.Git.GetRef(ctx, repo.Owner, repo.Name, "heads/"+branch)
	switch {
	case isStatus(err, http.StatusNotFound):
	case err != nil:
		return ex, fmt.Errorf("get branch %s: %w", branch, err)
	default:
		head := ref.GetObject().GetSHA()
		b := &fixpr.Branch{Head: head}
		commit, _, err := c.gh.Git.GetCommit(ctx, repo.Owner, repo.Name, head)
		if err != nil {
			return ex, fmt.Errorf("get commit %s: %w", head, err)
		}
		if len(commit.Parents) > 0 {
			b.Parent = commit.Parents[0].GetSHA()
		}
		if b.OnlyApp, err = c.madeByApp(ctx, repo, base, head); err != nil {
			return ex, fmt.Errorf("who made %s: %w", branch, err)
		}
		b.Files = map[string][]byte{}
		for _, path := range paths {
			// One request per configured manifest: the configuration
			// bounds how many there are.
			file, _, _, err := c.gh.Repositories.GetContents(ctx, repo.Owner, repo.Name, path, &github.RepositoryContentGetOptions{Ref: head})
			if err != nil && !isStatus(err, http.StatusNotFound) {
				return ex, fmt.Errorf("get %s at %s: %w", path, branch, err)
			}
			if file != nil {
				content, err := file.GetContent()
				if err != nil {
					return ex, fmt.Errorf("decode %s at %s: %w", path, branch, err)
				}
				b.Files[path] = []byte(content)
			}
		}
		ex.Branch = b
	}
	prs, _, err := c.gh.PullRequests.List(ctx, repo.Owner, repo.Name, &github.PullRequestListOptions{
		State: "open", Head: repo.Owner + ":" + branch, ListOptions: github.ListOptions{PerPage: 10},
	})
	if err != nil {
		return ex, fmt.Errorf("list pull requests of %s: %w", repo.FullName(), err)
	}
	for _, pr := range prs {
		if strings.EqualFold(pr.GetUser().GetLogin(), c.appLogin) {
			ex.PR = &fixpr.PR{Number: pr.GetNumber(), Title: pr.GetTitle(), Body: pr.GetBody()}
			break
		}
	}
	return ex, nil
}

// maxOwnCommits is how many commits the App's branch may hold past the
// default branch; it holds one, and a longer branch is not read to the
// end to find out.
const maxOwnCommits = 100

// madeByApp reports whether every commit on head that base lacks was
// authored and committed by the App, and there is at least one: a branch
// cut from the default branch and never committed to, or one behind it,
// holds nothing the App made, so it is someone else's. A branch with
// nothing of its own whose head commit the App made is the App's branch
// after its PR was merged with a merge commit.
func (c *Client) madeByApp(ctx context.Context, repo issues.Repo, base, head string) (bool, error) {
	cmp, _, err := c.gh.Repositories.CompareCommits(ctx, repo.Owner, repo.Name, base, head, &github.ListOptions{PerPage: maxOwnCommits})
	if err != nil {
		return false, fmt.Errorf("compare %s...%s: %w", base, head, err)
	}
	byApp := func(rc *github.RepositoryCommit) bool {
		return strings.EqualFold(rc.GetAuthor().GetLogin(), c.appLogin) && strings.EqualFold(rc.GetCommitter().GetLogin(), c.appLogin)
	}
	if len(cmp.Commits) == 0 {
		if cmp.GetAheadBy() > 0 {
			return false, nil // commits not listed: not the App's one-commit branch
		}
		rc, _, err := c.gh.Repositories.GetCommit(ctx, repo.Owner, repo.Name, head, nil)
		if err != nil {
			return false, fmt.Errorf("get commit %s: %w", head, err)
		}
		return byApp(rc), nil
	}
	if cmp.GetAheadBy() != len(cmp.Commits) {
		return false, nil
	}
	for _, rc := range cmp.Commits {
		if !byApp(rc) {
			return false, nil
		}
	}
	return true, nil
}

// ErrNotAppBranch refuses to move or delete a branch holding commits the
// App did not make.
var ErrNotAppBranch = errors.New("the branch holds commits pindrift did not make")

// ownBranch checks, just before a force-move or a deletion, that the
// branch at sha is still the App's alone: State found it so, but a person
// may have pushed since.
func (c *Client) ownBranch(ctx context.Context, repo issues.Repo, branch, sha string) error {
	r, err := c.repository(ctx, repo)
	if err != nil {
		return err
	}
	ok, err := c.madeByApp(ctx, repo, r.GetDefaultBranch(), sha)
	if err != nil {
		return fmt.Errorf("check branch %s: %w", branch, err)
	}
	if !ok {
		return fmt.Errorf("%s branch %s: %w", repo.FullName(), branch, ErrNotAppBranch)
	}
	return nil
}

type attestationList struct {
	Attestations []struct {
		Bundle struct {
			DSSEEnvelope struct {
				Payload string `json:"payload"`
			} `json:"dsseEnvelope"`
		} `json:"bundle"`
	} `json:"attestations"`
}

// provenance is the part of a GitHub Actions SLSA provenance statement
// that names the workflow which built the artifact.
type provenance struct {
	Predicate struct {
		BuildDefinition struct {
			ExternalParameters struct {
				Workflow struct {
					Repository string `json:"repository"`
					Path       string `json:"path"`
				} `json:"workflow"`
			} `json:"externalParameters"`
		} `json:"buildDefinition"`
	} `json:"predicate"`
}

// Attestation asks GitHub for the digest's attestations and reads which
// workflow each provenance statement names. go-github v62 has no method
// for it, so the request is made raw. The Sigstore signatures are not
// verified here; the PR says so and points reviewers at
// "gh attestation verify".
func (c *Client) Attestation(ctx context.Context, repo issues.Repo, digest string) (fixpr.Attestation, error) {
	req, err := c.gh.NewRequest(http.MethodGet, fmt.Sprintf("repos/%s/%s/attestations/sha256:%s", repo.Owner, repo.Name, strings.ToLower(digest)), nil)
	if err != nil {
		return fixpr.Attestation{}, err
	}
	var list attestationList
	if _, err := c.gh.Do(ctx, req, &list); err != nil {
		if isStatus(err, http.StatusNotFound) {
			return fixpr.Attestation{}, nil
		}
		return fixpr.Attestation{}, fmt.Errorf("attestations for %s: %w", digest, err)
	}
	want := strings.TrimRight(repo.WebURL, "/") + "/" + repo.FullName()
	if repo.WebURL == "" {
		want = "https://github.com/" + repo.FullName()
	}
	var a fixpr.Attestation
	for _, at := range list.Attestations {
		a.Found = true
		raw, err := base64.StdEncoding.DecodeString(at.Bundle.DSSEEnvelope.Payload)
		if err != nil {
			continue // a bundle we cannot read says nothing about its origin
		}
		var st provenance
		if json.Unmarshal(raw, &st) != nil {
			continue
		}
		wf := st.Predicate.BuildDefinition.ExternalParameters.Workflow
		if strings.EqualFold(strings.TrimRight(wf.Repository, "/"), want) {
			a.FromRepo, a.Workflow = true, wf.Path
			break
		}
	}
	return a, nil
}

// Push makes one commit with every file of p on top of p.Base (one blob
// each, one tree on the base's) and points the App's branch at it, creating the branch or moving it. Force is safe
// because the branch is checked again, right before, to hold only the
// App's commits; a branch someone else committed to is ErrNotAppBranch.
func (c *Client) Push(ctx context.Context, repo issues.Repo, p fixpr.Push) error {
	if err := c.guard(ctx, repo, p.Branch); err != nil {
		return err
	}
	if len(p.Files) == 0 {
		return errors.New("push: no file to commit")
	}
	o, n := repo.Owner, repo.Name
	var entries []*github.TreeEntry
	for _, f := range p.Files {
		blob, _, err := c.gh.Git.CreateBlob(ctx, o, n, &github.Blob{Content: github.String(string(f.Content)), Encoding: github.String("utf-8")})
		if err != nil {
			return fmt.Errorf("create blob of %s: %w", f.Path, err)
		}
		entries = append(entries, &github.TreeEntry{Path: github.String(f.Path), Mode: github.String("100644"), Type: github.String("blob"), SHA: blob.SHA})
	}
	base, _, err := c.gh.Git.GetCommit(ctx, o, n, p.Base)
	if err != nil {
		return fmt.Errorf("get base commit %s: %w", p.Base, err)
	}
	tree, _, err := c.gh.Git.CreateTree(ctx, o, n, base.GetTree().GetSHA(), entries)
	if err != nil {
		return fmt.Errorf("create tree: %w", err)
	}
	commit, _, err := c.gh.Git.CreateCommit(ctx, o, n, &github.Commit{
		Message: github.String(p.Message), Tree: tree, Parents: []*github.Commit{{SHA: github.String(p.Base)}},
	}, nil)
	if err != nil {
		return fmt.Errorf("create commit: %w", err)
	}
	ref := &github.Reference{Ref: github.String("refs/heads/" + p.Branch), Object: &github.GitObject{SHA: commit.SHA}}
	cur, _, err := c.gh.Git.GetRef(ctx, o, n, "heads/"+p.Branch)
	if isStatus(err, http.StatusNotFound) {
		if _, _, err := c.gh.Git.CreateRef(ctx, o, n, ref); err != nil {
			return fmt.Errorf("create branch %s: %w", p.Branch, err)
		}
		return nil
	} else if err != nil {
		return fmt.Errorf("get branch %s: %w", p.Branch, err)
	}
	if err := c.ownBranch(ctx, repo, p.Branch, cur.GetObject().GetSHA()); err != nil {
		return err
	}
	if _, _, err := c.gh.Git.UpdateRef(ctx, o, n, ref, true); err != nil {
		return fmt.Errorf("update branch %s: %w", p.Branch, err)
	}
	return nil
}

func (c *Client) CreatePR(ctx context.Context, repo issues.Repo, pr fixpr.NewPR) (int, error) {
	if err := c.guard(ctx, repo, pr.Head); err != nil {
		return 0, err
	}
	created, _, err := c.gh.PullRequests.Create(ctx, repo.Owner, repo.Name, &github.NewPullRequest{
		Title: &pr.Title, Body: &pr.Body, Head: &pr.Head, Base: &pr.Base, Draft: &pr.Draft,
		MaintainerCanModify: github.Bool(false),
	})
	if err != nil {
		return 0, fmt.Errorf("create pull request: %w", err)
	}
	if len(pr.Reviewers) > 0 {
		if _, _, err := c.gh.PullRequests.RequestReviewers(ctx, repo.Owner, repo.Name, created.GetNumber(),
			github.ReviewersRequest{Reviewers: pr.Reviewers}); err != nil {
			return created.GetNumber(), fmt.Errorf("request reviewers on #%d: %w", created.GetNumber(), err)
		}
	}
	return created.GetNumber(), nil
}

func (c *Client) UpdatePR(ctx context.Context, repo issues.Repo, u fixpr.PRUpdate) error {
	_, _, err := c.gh.PullRequests.Edit(ctx, repo.Owner, repo.Name, u.Number, &github.PullRequest{Title: &u.Title, Body: &u.Body})
	return err
}

// Comment is idempotent, so a retried job does not post its closing
// comment twice.
func (c *Client) Comment(ctx context.Context, repo issues.Repo, number int, body string) error {
	return ghissues.CommentOnce(ctx, c.gh, c.appLogin, repo, number, body)
}

func (c *Client) ClosePR(ctx context.Context, repo issues.Repo, number int) error {
	_, _, err := c.gh.PullRequests.Edit(ctx, repo.Owner, repo.Name, number, &github.PullRequest{State: github.String("closed")})
	return err
}

// DeleteBranch deletes the App's branch, after checking again that it
// holds only the App's commits (ErrNotAppBranch otherwise).
func (c *Client) DeleteBranch(ctx context.Context, repo issues.Repo, branch string) error {
	if err := c.guard(ctx, repo, branch); err != nil {
		return err
	}
	cur, _, err := c.gh.Git.GetRef(ctx, repo.Owner, repo.Name, "heads/"+branch)
	if isStatus(err, http.StatusNotFound) {
		return nil // already gone
	} else if err != nil {
		return fmt.Errorf("get branch %s: %w", branch, err)
	}
	if err := c.ownBranch(ctx, repo, branch, cur.GetObject().GetSHA()); err != nil {
		return err
	}
	_, err = c.gh.Git.DeleteRef(ctx, repo.Owner, repo.Name, "heads/"+branch)
	if isStatus(err, http.StatusNotFound) || isStatus(err, http.StatusUnprocessableEntity) {
		return nil // already gone
	}
	return err
}

func isStatus(err error, code int) bool {
	var er *github.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == code
}
