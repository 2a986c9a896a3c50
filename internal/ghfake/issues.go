package ghfake

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Issue is an issue or, when IsPull, the issue side of a pull request (they
// share numbers, titles, bodies, states and labels, as on GitHub).
type Issue struct {
	ID          int64
	Number      int
	Title, Body string
	State       string // "open" or "closed"
	StateReason string // "", "completed", "not_planned" or "reopened"
	Author      string // login; the App's bot login when empty on AddIssue
	Labels      []string
	Assignees   []string
	Locked      bool
	LockReason  string
	Comments    int
	IsPull      bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ClosedAt    time.Time // zero while open
	// ClosedBy is who closed it (the App for closes through the API);
	// GitHub shows it in the single-issue view.
	ClosedBy string
}

type issue struct {
	Issue
	pull *pullState
}

func (is *issue) copy() Issue {
	out := is.Issue
	out.Labels = slices.Clone(is.Labels)
	out.Assignees = slices.Clone(is.Assignees)
	return out
}

// AddIssue seeds an issue and returns it with its number, id and times set.
func (s *Server) AddIssue(owner, name string, in Issue) Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repoFor(owner, name)
	if in.Author == "" {
		in.Author = s.app.Login
	}
	is := s.newIssue(rp, in)
	if is.State == "closed" {
		is.ClosedAt = is.UpdatedAt
		if is.StateReason == "" {
			is.StateReason = "completed"
		}
		if is.ClosedBy == "" {
			is.ClosedBy = is.Author
		}
	}
	return is.copy()
}

// CloseIssue closes an issue as a person (login) would in the web UI.
func (s *Server) CloseIssue(owner, name string, number int, login, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.repoOrFail(owner, name).issues[number]
	if is == nil {
		s.t.Errorf("ghfake: CloseIssue: no issue #%d in %s/%s", number, owner, name)
		return
	}
	if reason == "" {
		reason = "completed"
	}
	now := s.tick()
	is.State, is.StateReason, is.ClosedAt, is.ClosedBy, is.UpdatedAt = "closed", reason, now, login, now
}

// newIssue numbers and stores an issue. Callers hold mu.
func (s *Server) newIssue(rp *repo, in Issue) *issue {
	rp.lastNumber++
	now := s.tick()
	in.Number, in.ID, in.CreatedAt, in.UpdatedAt = rp.lastNumber, s.newID(), now, now
	if in.State == "" {
		in.State = "open"
	}
	s.ensureLabels(rp, in.Labels)
	is := &issue{Issue: in}
	rp.issues[in.Number] = is
	return is
}

// Issue returns an issue (or a pull request's issue side) by number.
func (s *Server) Issue(owner, name string, number int) (Issue, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.repoOrFail(owner, name).issues[number]
	if is == nil {
		return Issue{}, false
	}
	return is.copy(), true
}

// Issues returns a repository's issues, pull requests excluded, by number.
func (s *Server) Issues(owner, name string) []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Issue
	for _, is := range sortedIssues(s.repoOrFail(owner, name)) {
		if !is.IsPull {
			out = append(out, is.copy())
		}
	}
	return out
}

func sortedIssues(rp *repo) []*issue {
	out := make([]*issue, 0, len(rp.issues))
	for _, is := range rp.issues {
		out = append(out, is)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

func (s *Server) registerIssueRoutes() {
	s.api("GET /repos/{owner}/{repo}/issues", s.listIssues)
	s.api("POST /repos/{owner}/{repo}/issues", s.createIssue)
	s.api("GET /repos/{owner}/{repo}/issues/comments", s.listRepoComments)
	s.api("GET /repos/{owner}/{repo}/issues/comments/{id}", s.getComment)
	s.api("PATCH /repos/{owner}/{repo}/issues/comments/{id}", s.editComment)
	s.api("DELETE /repos/{owner}/{repo}/issues/comments/{id}", s.deleteComment)
	s.api("GET /repos/{owner}/{repo}/issues/{number}", s.getIssue)
	s.api("PATCH /repos/{owner}/{repo}/issues/{number}", s.editIssue)
	s.api("PUT /repos/{owner}/{repo}/issues/{number}/lock", s.lockIssue)
	s.api("DELETE /repos/{owner}/{repo}/issues/{number}/lock", s.unlockIssue)
	s.api("GET /repos/{owner}/{repo}/issues/{number}/comments", s.listComments)
	s.api("POST /repos/{owner}/{repo}/issues/{number}/comments", s.createComment)
	s.registerLabelRoutes()
}

func (s *Server) issueJSON(rp *repo, is *issue) obj {
	kind := "issues"
	if is.IsPull {
		kind = "pull"
	}
	labels := []obj{}
	for _, l := range is.Labels {
		if lb := findLabel(rp, l); lb != nil {
			labels = append(labels, s.labelJSON(rp, lb))
		}
	}
	assignees := []obj{}
	for _, a := range is.Assignees {
		assignees = append(assignees, s.userJSON(a))
	}
	var assignee any
	if len(assignees) > 0 {
		assignee = assignees[0]
	}
	var stateReason, lockReason any
	if is.StateReason != "" {
		stateReason = is.StateReason
	}
	if is.LockReason != "" {
		lockReason = is.LockReason
	}
	o := obj{
		"id": is.ID, "node_id": nodeID("I", is.ID), "number": is.Number, "title": is.Title, "body": is.Body,
		"state": is.State, "state_reason": stateReason, "locked": is.Locked, "active_lock_reason": lockReason,
		"user": s.userJSON(is.Author), "labels": labels, "assignee": assignee, "assignees": assignees,
		"comments": is.Comments, "created_at": ts(is.CreatedAt), "updated_at": ts(is.UpdatedAt),
		"closed_at": ts(is.ClosedAt), "author_association": s.association(rp, is.Author),
		"url":            s.apiURL("/repos/%s/issues/%d", rp.FullName(), is.Number),
		"repository_url": s.apiURL("/repos/%s", rp.FullName()),
		"comments_url":   s.apiURL("/repos/%s/issues/%d/comments", rp.FullName(), is.Number),
		"html_url":       s.htmlURL("/%s/%s/%d", rp.FullName(), kind, is.Number),
	}
	if is.State == "closed" && is.ClosedBy != "" {
		o["closed_by"] = s.userJSON(is.ClosedBy)
	}
	if is.IsPull {
		o["pull_request"] = obj{"url": s.apiURL("/repos/%s/pulls/%d", rp.FullName(), is.Number),
			"html_url": o["html_url"], "diff_url": s.htmlURL("/%s/pull/%d.diff", rp.FullName(), is.Number),
			"patch_url": s.htmlURL("/%s/pull/%d.patch", rp.FullName(), is.Number), "merged_at": nil}
	}
	return o
}

func (s *Server) association(rp *repo, login string) string {
	switch {
	case strings.EqualFold(login, rp.Owner):
		return "OWNER"
	case rp.perms[strings.ToLower(login)] != "" && rp.perms[strings.ToLower(login)] != "none":
		return "COLLABORATOR"
	}
	return "NONE"
}

func (s *Server) listIssues(c *call) {
	q := c.r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	var want []string
	if l := q.Get("labels"); l != "" {
		want = strings.Split(l, ",")
	}
	var since time.Time
	if v := q.Get("since"); v != "" {
		since, _ = time.Parse(time.RFC3339, v)
	}
	var list []*issue
	for _, is := range sortedIssues(c.repo) {
		if state != "all" && is.State != state {
			continue
		}
		if cr := q.Get("creator"); cr != "" && !strings.EqualFold(cr, is.Author) {
			continue
		}
		if a := q.Get("assignee"); a != "" && !matchAssignee(a, is.Assignees) {
			continue
		}
		if !hasLabels(is.Labels, want) || is.UpdatedAt.Before(since) {
			continue
		}
		list = append(list, is)
	}
	key := func(is *issue) int64 { return is.CreatedAt.UnixNano() }
	switch q.Get("sort") {
	case "updated":
		key = func(is *issue) int64 { return is.UpdatedAt.UnixNano() }
	case "comments":
		key = func(is *issue) int64 { return int64(is.Comments) }
	}
	asc := q.Get("direction") == "asc"
	sort.SliceStable(list, func(i, j int) bool {
		ki, kj := key(list[i]), key(list[j])
		if ki == kj {
			ki, kj = int64(list[i].Number), int64(list[j].Number)
		}
		if asc {
			return ki < kj
		}
		return ki > kj
	})
	out := []obj{}
	for _, is := range paginate(c, list) {
		out = append(out, s.issueJSON(c.repo, is))
	}
	c.json(http.StatusOK, out)
}

func matchAssignee(want string, have []string) bool {
	switch want {
	case "*":
		return len(have) > 0
	case "none":
		return len(have) == 0
	}
	return slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(h, want) })
}

func hasLabels(have, want []string) bool {
	for _, w := range want {
		if !slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(h, strings.TrimSpace(w)) }) {
			return false
		}
	}
	return true
}

// issueParam finds the issue named by the {number} parameter, answering 404.
func (c *call) issueParam() *issue {
	n, err := strconv.Atoi(c.param("number"))
	is := c.repo.issues[n]
	if err != nil || is == nil {
		c.notFound()
		return nil
	}
	return is
}

func (s *Server) createIssue(c *call) {
	var in struct {
		Title     *string
		Body      string
		Labels    []string
		Assignees []string
		Assignee  string
	}
	if !c.decode(&in) {
		return
	}
	if in.Title == nil || *in.Title == "" {
		c.invalid("Issue", "title", "missing_field", "")
		return
	}
	if c.tooLong("Issue", in.Title, &in.Body) {
		return
	}
	if in.Assignee != "" {
		in.Assignees = append(in.Assignees, in.Assignee)
	}
	is := s.newIssue(c.repo, Issue{Title: *in.Title, Body: in.Body, Labels: dedupe(in.Labels),
		Assignees: dedupe(in.Assignees), Author: s.app.Login})
	c.json(http.StatusCreated, s.issueJSON(c.repo, is))
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, x) }) {
			out = append(out, x)
		}
	}
	return out
}

func (s *Server) getIssue(c *call) {
	if is := c.issueParam(); is != nil {
		c.json(http.StatusOK, s.issueJSON(c.repo, is))
	}
}

func (s *Server) editIssue(c *call) {
	is := c.issueParam()
	if is == nil {
		return
	}
	var in struct {
		Title, Body, State *string
		StateReason        *string `json:"state_reason"`
		Labels, Assignees  *[]string
	}
	if !c.decode(&in) {
		return
	}
	if !s.applyIssueEdit(c, is, in.Title, in.Body, in.State, in.StateReason) {
		return
	}
	if in.Labels != nil {
		is.Labels = dedupe(*in.Labels)
		s.ensureLabels(c.repo, is.Labels)
	}
	if in.Assignees != nil {
		is.Assignees = dedupe(*in.Assignees)
	}
	c.json(http.StatusOK, s.issueJSON(c.repo, is))
}

// applyIssueEdit applies the fields issues and pulls share; it answers 422
// itself and returns false on an invalid state.
func (s *Server) applyIssueEdit(c *call, is *issue, title, body, state, reason *string) bool {
	if state != nil && *state != "open" && *state != "closed" {
		c.invalid("Issue", "state", "invalid", "")
		return false
	}
	if reason != nil && !slices.Contains([]string{"completed", "not_planned", "reopened"}, *reason) {
		c.invalid("Issue", "state_reason", "invalid", "")
		return false
	}
	if c.tooLong("Issue", title, body) {
		return false
	}
	now := s.tick()
	if title != nil {
		is.Title = *title
	}
	if body != nil {
		is.Body = *body
	}
	if state != nil && *state != is.State {
		is.State = *state
		if is.State == "closed" {
			is.ClosedAt, is.StateReason, is.ClosedBy = now, "completed", s.app.Login
		} else {
			is.ClosedAt, is.StateReason, is.ClosedBy = time.Time{}, "reopened", ""
		}
	}
	if reason != nil && !is.IsPull {
		is.StateReason = *reason
	}
	is.UpdatedAt = now
	return true
}

func (s *Server) lockIssue(c *call) {
	is := c.issueParam()
	if is == nil {
		return
	}
	var in struct {
		LockReason string `json:"lock_reason"`
	}
	if len(c.body) > 0 && !c.decode(&in) {
		return
	}
	if in.LockReason != "" && !slices.Contains([]string{"off-topic", "too heated", "resolved", "spam"}, in.LockReason) {
		c.invalid("Issue", "lock_reason", "invalid", "")
		return
	}
	is.Locked, is.LockReason, is.UpdatedAt = true, in.LockReason, s.tick()
	c.noContent()
}

func (s *Server) unlockIssue(c *call) {
	is := c.issueParam()
	if is == nil {
		return
	}
	is.Locked, is.LockReason, is.UpdatedAt = false, "", s.tick()
	c.noContent()
}
