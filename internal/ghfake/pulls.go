package ghfake

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

// PullRequest is a pull request. Forks are not modelled: head is a branch of
// the same repository.
type PullRequest struct {
	ID          int64
	Number      int
	Title, Body string
	State       string // "open" or "closed"
	// Merged reports a pull request a person merged (MergePullRequest);
	// the API's merge endpoint fails the test, pindrift never merges.
	Merged     bool
	Author     string // login; the App's bot login when empty on AddPullRequest
	Head, Base string // branch names
	HeadSHA    string // the head branch's commit (its last known one once deleted)
	Draft      bool
	Reviewers  []string
	Labels     []string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ClosedAt   time.Time
}

type pullState struct {
	head, base, headSHA string
	draft               bool
	reviewers           []string
	merged              bool
	mergeSHA            string
}

// pullOf syncs the head SHA with the branch, as GitHub does on push.
func (rp *repo) pullOf(is *issue) *pullState {
	if sha, ok := rp.refs["refs/heads/"+is.pull.head]; ok {
		is.pull.headSHA = sha
	}
	return is.pull
}

func (rp *repo) pullRequest(is *issue) PullRequest {
	p := rp.pullOf(is)
	return PullRequest{ID: is.ID, Number: is.Number, Title: is.Title, Body: is.Body, State: is.State, Merged: p.merged,
		Author: is.Author, Head: p.head, Base: p.base, HeadSHA: p.headSHA, Draft: p.draft,
		Reviewers: slices.Clone(p.reviewers), Labels: slices.Clone(is.Labels),
		CreatedAt: is.CreatedAt, UpdatedAt: is.UpdatedAt, ClosedAt: is.ClosedAt}
}

// AddPullRequest seeds a pull request between two existing branches.
func (s *Server) AddPullRequest(owner, name string, in PullRequest) PullRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repoFor(owner, name)
	if in.Author == "" {
		in.Author = s.app.Login
	}
	is := s.newIssue(rp, Issue{Title: in.Title, Body: in.Body, State: in.State, Author: in.Author,
		Labels: in.Labels, IsPull: true})
	if is.State == "closed" {
		is.ClosedAt = is.UpdatedAt
	}
	is.pull = &pullState{head: in.Head, base: in.Base, draft: in.Draft, reviewers: in.Reviewers}
	return rp.pullRequest(is)
}

// PullRequest returns a pull request by number.
func (s *Server) PullRequest(owner, name string, number int) (PullRequest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repoOrFail(owner, name)
	is := rp.issues[number]
	if is == nil || !is.IsPull {
		return PullRequest{}, false
	}
	return rp.pullRequest(is), true
}

// PullRequests returns a repository's pull requests by number.
func (s *Server) PullRequests(owner, name string) []PullRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repoOrFail(owner, name)
	var out []PullRequest
	for _, is := range sortedIssues(rp) {
		if is.IsPull {
			out = append(out, rp.pullRequest(is))
		}
	}
	return out
}

func (s *Server) registerPullRoutes() {
	s.api("GET /repos/{owner}/{repo}/pulls", s.listPulls)
	s.api("POST /repos/{owner}/{repo}/pulls", s.createPull)
	s.api("GET /repos/{owner}/{repo}/pulls/{number}", s.getPull)
	s.api("PATCH /repos/{owner}/{repo}/pulls/{number}", s.editPull)
	s.api("GET /repos/{owner}/{repo}/pulls/{number}/requested_reviewers", s.listReviewers)
	s.api("POST /repos/{owner}/{repo}/pulls/{number}/requested_reviewers", s.requestReviewers)
	s.api("GET /repos/{owner}/{repo}/pulls/{number}/merge", s.isMerged)
	s.api("PUT /repos/{owner}/{repo}/pulls/{number}/merge", s.merge)
}

func (s *Server) pullJSON(rp *repo, is *issue) obj {
	p := rp.pullOf(is)
	o := s.issueJSON(rp, is)
	delete(o, "pull_request")
	delete(o, "repository_url")
	side := func(branch, sha string) obj {
		return obj{"label": rp.Owner + ":" + branch, "ref": branch, "sha": sha,
			"user": s.userJSON(rp.Owner), "repo": s.repoJSON(rp)}
	}
	reviewers := []obj{}
	for _, r := range p.reviewers {
		reviewers = append(reviewers, s.userJSON(r))
	}
	o["url"] = s.apiURL("/repos/%s/pulls/%d", rp.FullName(), is.Number)
	o["issue_url"] = s.apiURL("/repos/%s/issues/%d", rp.FullName(), is.Number)
	o["diff_url"] = s.htmlURL("/%s/pull/%d.diff", rp.FullName(), is.Number)
	o["head"] = side(p.head, p.headSHA)
	o["base"] = side(p.base, rp.refs["refs/heads/"+p.base])
	o["draft"], o["merged"], o["merged_at"], o["merge_commit_sha"] = p.draft, false, nil, nil
	if p.merged {
		o["merged"], o["merged_at"], o["merge_commit_sha"] = true, ts(is.ClosedAt), p.mergeSHA
	}
	o["mergeable"], o["maintainer_can_modify"] = nil, false
	o["requested_reviewers"], o["requested_teams"] = reviewers, []obj{}
	return o
}

// pullParam finds the pull request named by {number}, answering 404.
func (c *call) pullParam() *issue {
	is := c.issueParam()
	if is != nil && !is.IsPull {
		c.notFound()
		return nil
	}
	return is
}

func (s *Server) listPulls(c *call) {
	q := c.r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	// GitHub only filters on head given as "owner:branch".
	headOwner, headBranch, byHead := strings.Cut(q.Get("head"), ":")
	var list []*issue
	for _, is := range sortedIssues(c.repo) {
		if !is.IsPull || (state != "all" && is.State != state) {
			continue
		}
		if byHead && (!strings.EqualFold(headOwner, c.repo.Owner) || is.pull.head != headBranch) {
			continue
		}
		if b := q.Get("base"); b != "" && is.pull.base != b {
			continue
		}
		list = append(list, is)
	}
	asc := q.Get("direction") == "asc" || (q.Get("direction") == "" && q.Get("sort") != "" && q.Get("sort") != "created")
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if q.Get("sort") == "updated" && !a.UpdatedAt.Equal(b.UpdatedAt) {
			return a.UpdatedAt.Before(b.UpdatedAt) == asc
		}
		return (a.Number < b.Number) == asc
	})
	out := []obj{}
	for _, is := range paginate(c, list) {
		out = append(out, s.pullJSON(c.repo, is))
	}
	c.json(http.StatusOK, out)
}

func (s *Server) createPull(c *call) {
	var in struct {
		Title *string
		Body  string
		Head  string
		Base  string
		Draft bool
	}
	if !c.decode(&in) {
		return
	}
	head := in.Head
	if owner, branch, ok := strings.Cut(in.Head, ":"); ok {
		if !strings.EqualFold(owner, c.repo.Owner) {
			c.invalid("PullRequest", "head", "invalid", "")
			return
		}
		head = branch
	}
	headSHA, headOK := c.repo.refs["refs/heads/"+head]
	baseSHA, baseOK := c.repo.refs["refs/heads/"+in.Base]
	switch {
	case in.Title == nil || *in.Title == "":
		c.invalid("PullRequest", "title", "missing_field", "")
		return
	case c.tooLong("Issue", in.Title, &in.Body):
		return
	case !baseOK:
		c.invalid("PullRequest", "base", "invalid", "")
		return
	case !headOK:
		c.invalid("PullRequest", "head", "invalid", "")
		return
	}
	for _, is := range c.repo.issues {
		if is.IsPull && is.State == "open" && is.pull.head == head && is.pull.base == in.Base {
			c.invalid("PullRequest", "", "custom", "A pull request already exists for "+c.repo.Owner+":"+head+".")
			return
		}
	}
	baseAnc := c.repo.ancestors(baseSHA)
	if baseAnc[headSHA] {
		c.invalid("PullRequest", "", "custom", "No commits between "+in.Base+" and "+head)
		return
	}
	is := s.newIssue(c.repo, Issue{Title: *in.Title, Body: in.Body, Author: s.app.Login, IsPull: true})
	is.pull = &pullState{head: head, base: in.Base, headSHA: headSHA, draft: in.Draft}
	c.json(http.StatusCreated, s.pullJSON(c.repo, is))
}

func (s *Server) getPull(c *call) {
	if is := c.pullParam(); is != nil {
		c.json(http.StatusOK, s.pullJSON(c.repo, is))
	}
}

func (s *Server) editPull(c *call) {
	is := c.pullParam()
	if is == nil {
		return
	}
	var in struct {
		Title, Body, State, Base *string
	}
	if !c.decode(&in) {
		return
	}
	if in.Base != nil {
		if _, ok := c.repo.refs["refs/heads/"+*in.Base]; !ok {
			c.invalid("PullRequest", "base", "invalid", "")
			return
		}
	}
	if !s.applyIssueEdit(c, is, in.Title, in.Body, in.State, nil) {
		return
	}
	is.StateReason = "" // pull requests have no state reason
	if in.Base != nil {
		is.pull.base = *in.Base
	}
	c.json(http.StatusOK, s.pullJSON(c.repo, is))
}

func (s *Server) listReviewers(c *call) {
	if is := c.pullParam(); is != nil {
		users := []obj{}
		for _, r := range is.pull.reviewers {
			users = append(users, s.userJSON(r))
		}
		c.json(http.StatusOK, obj{"users": users, "teams": []obj{}})
	}
}

func (s *Server) requestReviewers(c *call) {
	is := c.pullParam()
	if is == nil {
		return
	}
	var in struct {
		Reviewers     []string
		TeamReviewers []string `json:"team_reviewers"`
	}
	if !c.decode(&in) {
		return
	}
	for _, r := range in.Reviewers {
		if strings.EqualFold(r, is.Author) {
			c.invalid("PullRequest", "", "custom", "Review cannot be requested from pull request author.")
			return
		}
	}
	is.pull.reviewers = dedupe(append(is.pull.reviewers, in.Reviewers...))
	is.UpdatedAt = s.tick()
	c.json(http.StatusCreated, s.pullJSON(c.repo, is))
}

// isMerged answers 204 for a pull request a person merged, 404 otherwise.
func (s *Server) isMerged(c *call) {
	is := c.pullParam()
	switch {
	case is == nil:
	case is.pull.merged:
		c.noContent()
	default:
		c.notFound()
	}
}

// merge fails the test: pindrift must never merge a pull request.
func (s *Server) merge(c *call) {
	s.t.Errorf("ghfake: PUT %s: pindrift must never merge a pull request", c.rec.Path)
	c.errorJSON(http.StatusMethodNotAllowed, "Pull Request is not mergeable")
}
