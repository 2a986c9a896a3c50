package ghfake

import (
	"net/http"
	"slices"
	"strconv"
	"time"
)

// CheckRun is a check run with everything the App sent for it.
type CheckRun struct {
	ID          int64
	Name        string
	HeadSHA     string
	Status      string // "queued", "in_progress" or "completed"
	Conclusion  string
	ExternalID  string
	DetailsURL  string
	Output      CheckRunOutput
	StartedAt   time.Time
	CompletedAt time.Time
}

// CheckRunOutput is a check run's output; annotations accumulate across
// updates, as on GitHub.
type CheckRunOutput struct {
	Title, Summary, Text string
	Annotations          []Annotation
}

// Annotation is one check run annotation.
type Annotation struct {
	Path        string `json:"path"`
	StartLine   int    `json:"start_line"`
	EndLine     int    `json:"end_line"`
	StartColumn int    `json:"start_column,omitempty"`
	EndColumn   int    `json:"end_column,omitempty"`
	Level       string `json:"annotation_level"`
	Message     string `json:"message"`
	Title       string `json:"title,omitempty"`
	RawDetails  string `json:"raw_details,omitempty"`
}

func copyCheckRun(cr *CheckRun) CheckRun {
	out := *cr
	out.Output.Annotations = slices.Clone(cr.Output.Annotations)
	return out
}

// CheckRuns returns the check runs on the commit ref resolves to (all of the
// repository's when ref is empty), oldest first.
func (s *Server) CheckRuns(owner, name, ref string) []CheckRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repoOrFail(owner, name)
	sha, _ := rp.resolve(ref)
	var out []CheckRun
	for _, cr := range rp.checkRuns {
		if ref == "" || cr.HeadSHA == sha {
			out = append(out, copyCheckRun(cr))
		}
	}
	return out
}

func (s *Server) registerCheckRoutes() {
	s.api("POST /repos/{owner}/{repo}/check-runs", s.createCheckRun)
	s.api("GET /repos/{owner}/{repo}/check-runs/{id}", s.getCheckRun)
	s.api("PATCH /repos/{owner}/{repo}/check-runs/{id}", s.updateCheckRun)
	s.api("GET /repos/{owner}/{repo}/check-runs/{id}/annotations", s.listAnnotations)
}

func (s *Server) checkRunJSON(rp *repo, cr *CheckRun) obj {
	var conclusion, external, details any
	if cr.Conclusion != "" {
		conclusion = cr.Conclusion
	}
	if cr.ExternalID != "" {
		external = cr.ExternalID
	}
	if cr.DetailsURL != "" {
		details = cr.DetailsURL
	}
	url := s.apiURL("/repos/%s/check-runs/%d", rp.FullName(), cr.ID)
	return obj{"id": cr.ID, "node_id": nodeID("CR", cr.ID), "name": cr.Name, "head_sha": cr.HeadSHA,
		"status": cr.Status, "conclusion": conclusion, "external_id": external, "details_url": details,
		"started_at": ts(cr.StartedAt), "completed_at": ts(cr.CompletedAt), "url": url,
		"html_url": s.htmlURL("/%s/runs/%d", rp.FullName(), cr.ID),
		"output": obj{"title": cr.Output.Title, "summary": cr.Output.Summary, "text": cr.Output.Text,
			"annotations_count": len(cr.Output.Annotations), "annotations_url": url + "/annotations"},
		"app":           obj{"id": s.app.ID, "slug": s.app.Slug, "name": s.app.Slug},
		"pull_requests": []obj{}}
}

type checkRunInput struct {
	Name        *string
	HeadSHA     string `json:"head_sha"`
	Status      *string
	Conclusion  *string
	ExternalID  *string    `json:"external_id"`
	DetailsURL  *string    `json:"details_url"`
	StartedAt   *time.Time `json:"started_at"`
	CompletedAt *time.Time `json:"completed_at"`
	Output      *struct {
		Title, Summary *string
		Text           *string
		Annotations    []Annotation
	}
}

// apply validates in and applies it to cr, answering 422 itself on failure.
func (s *Server) applyCheckRun(c *call, cr *CheckRun, in *checkRunInput) bool {
	if in.Status != nil && !slices.Contains([]string{"queued", "in_progress", "completed"}, *in.Status) {
		c.invalid("CheckRun", "status", "invalid", "")
		return false
	}
	if in.Output != nil && (in.Output.Title == nil || in.Output.Summary == nil) {
		c.invalid("CheckRun", "output", "missing_field", "output requires title and summary")
		return false
	}
	if o := in.Output; o != nil && c.checkOutputTooLong(o.Title, o.Summary, o.Text, o.Annotations) {
		return false
	}
	completing := (in.Status != nil && *in.Status == "completed") || in.Conclusion != nil
	if completing && in.Conclusion == nil && cr.Conclusion == "" {
		c.invalid("CheckRun", "conclusion", "missing_field", "conclusion is required when status is completed")
		return false
	}
	now := s.tick()
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&cr.Name, in.Name)
	set(&cr.Status, in.Status)
	set(&cr.Conclusion, in.Conclusion)
	set(&cr.ExternalID, in.ExternalID)
	set(&cr.DetailsURL, in.DetailsURL)
	if in.StartedAt != nil {
		cr.StartedAt = in.StartedAt.UTC()
	}
	if completing {
		cr.Status = "completed" // a conclusion completes the run
		cr.CompletedAt = now
		if in.CompletedAt != nil {
			cr.CompletedAt = in.CompletedAt.UTC()
		}
	}
	if o := in.Output; o != nil {
		cr.Output.Title, cr.Output.Summary = *o.Title, *o.Summary
		set(&cr.Output.Text, o.Text)
		cr.Output.Annotations = append(cr.Output.Annotations, o.Annotations...)
	}
	return true
}

func (s *Server) createCheckRun(c *call) {
	var in checkRunInput
	if !c.decode(&in) {
		return
	}
	if in.Name == nil || *in.Name == "" {
		c.invalid("CheckRun", "name", "missing_field", "")
		return
	}
	if c.repo.commits[in.HeadSHA] == nil {
		c.errorJSON(http.StatusUnprocessableEntity, "No commit found for SHA: "+in.HeadSHA)
		return
	}
	cr := &CheckRun{ID: s.newID(), HeadSHA: in.HeadSHA, Status: "queued", StartedAt: s.now}
	if !s.applyCheckRun(c, cr, &in) {
		return
	}
	c.repo.checkRuns = append(c.repo.checkRuns, cr)
	c.json(http.StatusCreated, s.checkRunJSON(c.repo, cr))
}

func (c *call) checkRunParam() *CheckRun {
	id, ok := c.intParam("id")
	if !ok {
		return nil
	}
	for _, cr := range c.repo.checkRuns {
		if cr.ID == id {
			return cr
		}
	}
	c.notFound()
	return nil
}

func (s *Server) getCheckRun(c *call) {
	if cr := c.checkRunParam(); cr != nil {
		c.json(http.StatusOK, s.checkRunJSON(c.repo, cr))
	}
}

func (s *Server) updateCheckRun(c *call) {
	cr := c.checkRunParam()
	if cr == nil {
		return
	}
	var in checkRunInput
	if !c.decode(&in) {
		return
	}
	if s.applyCheckRun(c, cr, &in) {
		c.json(http.StatusOK, s.checkRunJSON(c.repo, cr))
	}
}

func (s *Server) listAnnotations(c *call) {
	if cr := c.checkRunParam(); cr != nil {
		c.json(http.StatusOK, paginate(c, slices.Clone(cr.Output.Annotations)))
	}
}

// listCheckRunsForRef serves GET commits/{ref}/check-runs: by default only
// the latest run of each name.
func (s *Server) listCheckRunsForRef(c *call) {
	ref := c.param("ref")
	sha, ok := c.repo.resolve(ref)
	if !ok {
		c.errorJSON(http.StatusUnprocessableEntity, "No commit found for SHA: "+ref)
		return
	}
	q := c.r.URL.Query()
	latest := map[string]int64{}
	for _, cr := range c.repo.checkRuns {
		if cr.HeadSHA == sha && cr.ID > latest[cr.Name] {
			latest[cr.Name] = cr.ID
		}
	}
	var list []*CheckRun
	for _, cr := range c.repo.checkRuns {
		switch {
		case cr.HeadSHA != sha:
		case q.Get("check_name") != "" && cr.Name != q.Get("check_name"):
		case q.Get("status") != "" && cr.Status != q.Get("status"):
		case q.Get("app_id") != "" && q.Get("app_id") != strconv.FormatInt(s.app.ID, 10):
		case q.Get("filter") != "all" && latest[cr.Name] != cr.ID:
		default:
			list = append(list, cr)
		}
	}
	slices.Reverse(list) // newest first
	out := []obj{}
	for _, cr := range paginate(c, list) {
		out = append(out, s.checkRunJSON(c.repo, cr))
	}
	c.json(http.StatusOK, obj{"total_count": len(list), "check_runs": out})
}
