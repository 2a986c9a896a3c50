package ghfake

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Comment is an issue or pull request comment.
type Comment struct {
	ID        int64
	Issue     int
	Body      string
	Author    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Label is a repository label.
type Label struct {
	ID          int64
	Name        string
	Color       string
	Description string
}

// AddComment seeds a comment by author (the App's bot when empty).
func (s *Server) AddComment(owner, name string, number int, author, body string) Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.t.Helper()
	rp := s.repoOrFail(owner, name)
	is := rp.issues[number]
	if is == nil {
		s.t.Fatalf("ghfake: AddComment: %s/%s has no issue #%d", owner, name, number)
	}
	if author == "" {
		author = s.app.Login
	}
	return *s.newComment(rp, is, author, body)
}

func (s *Server) newComment(rp *repo, is *issue, author, body string) *Comment {
	now := s.tick()
	cm := &Comment{ID: s.newID(), Issue: is.Number, Body: body, Author: author, CreatedAt: now, UpdatedAt: now}
	rp.comments = append(rp.comments, cm)
	is.Comments++
	is.UpdatedAt = now
	return cm
}

// Comments returns the comments on an issue or pull request, oldest first.
func (s *Server) Comments(owner, name string, number int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Comment
	for _, cm := range s.repoOrFail(owner, name).comments {
		if cm.Issue == number {
			out = append(out, *cm)
		}
	}
	return out
}

// AddLabel seeds a repository label.
func (s *Server) AddLabel(owner, name string, l Label) Label {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repoFor(owner, name)
	if lb := findLabel(rp, l.Name); lb != nil {
		l.ID = lb.ID
		*lb = l
		return l
	}
	l.ID = s.newID()
	rp.labels = append(rp.labels, &l)
	return l
}

// Labels returns a repository's labels in creation order.
func (s *Server) Labels(owner, name string) []Label {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Label
	for _, l := range s.repoOrFail(owner, name).labels {
		out = append(out, *l)
	}
	return out
}

func findLabel(rp *repo, name string) *Label {
	for _, l := range rp.labels {
		if strings.EqualFold(l.Name, name) {
			return l
		}
	}
	return nil
}

// ensureLabels creates missing labels, as GitHub does when an issue is given
// labels that do not exist yet. Callers hold mu.
func (s *Server) ensureLabels(rp *repo, names []string) {
	for _, n := range names {
		if findLabel(rp, n) == nil {
			rp.labels = append(rp.labels, &Label{ID: s.newID(), Name: n, Color: "ededed"})
		}
	}
}

func (s *Server) registerLabelRoutes() {
	s.api("GET /repos/{owner}/{repo}/labels", s.listLabels)
	s.api("POST /repos/{owner}/{repo}/labels", s.createLabel)
	s.api("GET /repos/{owner}/{repo}/labels/{name}", s.getLabel)
	s.api("GET /repos/{owner}/{repo}/issues/{number}/labels", s.listIssueLabels)
	s.api("POST /repos/{owner}/{repo}/issues/{number}/labels", s.addIssueLabels)
	s.api("PUT /repos/{owner}/{repo}/issues/{number}/labels", s.setIssueLabels)
	s.api("DELETE /repos/{owner}/{repo}/issues/{number}/labels", s.clearIssueLabels)
	s.api("DELETE /repos/{owner}/{repo}/issues/{number}/labels/{name}", s.removeIssueLabel)
}

func (s *Server) labelJSON(rp *repo, l *Label) obj {
	var desc any
	if l.Description != "" {
		desc = l.Description
	}
	return obj{"id": l.ID, "node_id": nodeID("LA", l.ID), "name": l.Name, "color": l.Color,
		"description": desc, "default": false, "url": s.apiURL("/repos/%s/labels/%s", rp.FullName(), l.Name)}
}

func (s *Server) labelsJSON(rp *repo, names []string) []obj {
	out := []obj{}
	for _, n := range names {
		if l := findLabel(rp, n); l != nil {
			out = append(out, s.labelJSON(rp, l))
		}
	}
	return out
}

func (s *Server) listLabels(c *call) {
	out := []obj{}
	for _, l := range c.repo.labels {
		out = append(out, s.labelJSON(c.repo, l))
	}
	c.json(http.StatusOK, paginate(c, out))
}

func (s *Server) getLabel(c *call) {
	l := findLabel(c.repo, c.param("name"))
	if l == nil {
		c.notFound()
		return
	}
	c.json(http.StatusOK, s.labelJSON(c.repo, l))
}

func (s *Server) createLabel(c *call) {
	var in struct{ Name, Color, Description string }
	if !c.decode(&in) {
		return
	}
	if in.Name == "" {
		c.invalid("Label", "name", "missing_field", "")
		return
	}
	if findLabel(c.repo, in.Name) != nil {
		c.invalid("Label", "name", "already_exists", "")
		return
	}
	if in.Color == "" {
		in.Color = "ededed"
	}
	l := &Label{ID: s.newID(), Name: in.Name, Color: strings.TrimPrefix(in.Color, "#"), Description: in.Description}
	c.repo.labels = append(c.repo.labels, l)
	c.json(http.StatusCreated, s.labelJSON(c.repo, l))
}

// labelNames reads a label list body: a bare array, or {"labels": [...]}.
func (c *call) labelNames() ([]string, bool) {
	var names []string
	if err := json.Unmarshal(c.body, &names); err == nil {
		return names, true
	}
	var in struct{ Labels []string }
	if !c.decode(&in) {
		return nil, false
	}
	return in.Labels, true
}

func (s *Server) listIssueLabels(c *call) {
	if is := c.issueParam(); is != nil {
		c.json(http.StatusOK, paginate(c, s.labelsJSON(c.repo, is.Labels)))
	}
}

func (s *Server) addIssueLabels(c *call) { s.putIssueLabels(c, false) }

func (s *Server) setIssueLabels(c *call) { s.putIssueLabels(c, true) }

// putIssueLabels adds labels to an issue, or replaces its labels.
func (s *Server) putIssueLabels(c *call, replace bool) {
	is := c.issueParam()
	if is == nil {
		return
	}
	names, ok := c.labelNames()
	if !ok {
		return
	}
	s.ensureLabels(c.repo, names)
	if !replace {
		names = append(is.Labels, names...)
	}
	is.Labels, is.UpdatedAt = dedupe(names), s.tick()
	c.json(http.StatusOK, s.labelsJSON(c.repo, is.Labels))
}

func (s *Server) clearIssueLabels(c *call) {
	if is := c.issueParam(); is != nil {
		is.Labels, is.UpdatedAt = nil, s.tick()
		c.noContent()
	}
}

func (s *Server) removeIssueLabel(c *call) {
	is := c.issueParam()
	if is == nil {
		return
	}
	i := slices.IndexFunc(is.Labels, func(l string) bool { return strings.EqualFold(l, c.param("name")) })
	if i < 0 {
		c.errorJSON(http.StatusNotFound, "Label does not exist")
		return
	}
	is.Labels = slices.Delete(is.Labels, i, i+1)
	is.UpdatedAt = s.tick()
	c.json(http.StatusOK, s.labelsJSON(c.repo, is.Labels))
}

func (s *Server) commentJSON(rp *repo, cm *Comment) obj {
	return obj{"id": cm.ID, "node_id": nodeID("IC", cm.ID), "body": cm.Body, "user": s.userJSON(cm.Author),
		"created_at": ts(cm.CreatedAt), "updated_at": ts(cm.UpdatedAt),
		"author_association": s.association(rp, cm.Author),
		"url":                s.apiURL("/repos/%s/issues/comments/%d", rp.FullName(), cm.ID),
		"issue_url":          s.apiURL("/repos/%s/issues/%d", rp.FullName(), cm.Issue),
		"html_url":           s.htmlURL("/%s/issues/%d#issuecomment-%d", rp.FullName(), cm.Issue, cm.ID)}
}

func (s *Server) commentsJSON(c *call, keep func(*Comment) bool) {
	var since time.Time
	if v := c.r.URL.Query().Get("since"); v != "" {
		since, _ = time.Parse(time.RFC3339, v)
	}
	var list []*Comment
	for _, cm := range c.repo.comments {
		if keep(cm) && !cm.UpdatedAt.Before(since) {
			list = append(list, cm)
		}
	}
	out := []obj{}
	for _, cm := range paginate(c, list) {
		out = append(out, s.commentJSON(c.repo, cm))
	}
	c.json(http.StatusOK, out)
}

func (s *Server) listComments(c *call) {
	if is := c.issueParam(); is != nil {
		s.commentsJSON(c, func(cm *Comment) bool { return cm.Issue == is.Number })
	}
}

func (s *Server) listRepoComments(c *call) {
	s.commentsJSON(c, func(*Comment) bool { return true })
}

func (s *Server) createComment(c *call) {
	is := c.issueParam()
	if is == nil {
		return
	}
	body, ok := c.commentBody()
	if !ok {
		return
	}
	c.json(http.StatusCreated, s.commentJSON(c.repo, s.newComment(c.repo, is, s.app.Login, body)))
}

// commentBody reads a comment's body from the request, answering 422 for
// a missing, empty or too long one.
func (c *call) commentBody() (string, bool) {
	var in struct{ Body *string }
	if !c.decode(&in) {
		return "", false
	}
	if in.Body == nil || *in.Body == "" {
		c.invalid("IssueComment", "body", "missing_field", "")
		return "", false
	}
	if c.commentTooLong(*in.Body) {
		return "", false
	}
	return *in.Body, true
}

// commentParam finds the comment named by the {id} parameter, answering 404.
func (c *call) commentParam() (int, *Comment) {
	id, ok := c.intParam("id")
	if !ok {
		return -1, nil
	}
	for i, cm := range c.repo.comments {
		if cm.ID == id {
			return i, cm
		}
	}
	c.notFound()
	return -1, nil
}

func (s *Server) getComment(c *call) {
	if _, cm := c.commentParam(); cm != nil {
		c.json(http.StatusOK, s.commentJSON(c.repo, cm))
	}
}

func (s *Server) editComment(c *call) {
	_, cm := c.commentParam()
	if cm == nil {
		return
	}
	body, ok := c.commentBody()
	if !ok {
		return
	}
	cm.Body, cm.UpdatedAt = body, s.tick()
	c.json(http.StatusOK, s.commentJSON(c.repo, cm))
}

func (s *Server) deleteComment(c *call) {
	i, cm := c.commentParam()
	if cm == nil {
		return
	}
	if is := c.repo.issues[cm.Issue]; is != nil {
		is.Comments--
	}
	c.repo.comments = slices.Delete(c.repo.comments, i, i+1)
	c.noContent()
}
