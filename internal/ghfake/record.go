package ghfake

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Request is one request the fake received.
type Request struct {
	Method string
	// Path is unescaped and, for API requests, relative to the API root
	// ("/repos/o/r/issues"); download requests keep their full path.
	Path  string
	API   bool
	Query url.Values
	Body  []byte
	// Header holds the request headers, Authorization included.
	Header http.Header
	// Token is the credential from the Authorization header, without scheme.
	Token string
	// Installation is the installation the token was issued for, or 0.
	Installation int64
	// Status is the status code the fake answered with.
	Status int
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()

	escaped := r.URL.EscapedPath()
	rec := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Body: body, Header: r.Header.Clone()}
	if rest, ok := strings.CutPrefix(escaped, APIPrefix+"/"); ok {
		rec.API = true
		escaped = "/" + rest
		rec.Path = strings.TrimPrefix(r.URL.Path, APIPrefix)
	}
	if _, cred, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok {
		rec.Token = strings.TrimSpace(cred)
		rec.Installation = s.tokens[rec.Token]
	}
	sw := &statusWriter{ResponseWriter: w}
	c := &call{s: s, w: sw, r: r, body: body, rec: &rec}
	defer func() {
		rec.Status = sw.status
		s.requests = append(s.requests, rec)
	}()
	if rec.API {
		s.rateHeaders(sw)
	}
	if s.injectFailure(c, func() { s.route(c, escaped) }) || s.revokedToken(c) || s.refuseRandomly(c) {
		return
	}
	s.route(c, escaped)
}

// route serves c with the first route that matches it; API GETs get an
// ETag and answer If-None-Match with 304.
func (s *Server) route(c *call, escaped string) {
	r, rec := c.r, c.rec
	if rec.API && r.Method == http.MethodGet {
		out := c.w
		ew := &etagWriter{header: out.Header()}
		c.w = ew
		defer func() {
			ew.finish(out, r)
			c.w = out
		}()
	}
	for _, rt := range s.routes {
		if rt.method != r.Method || rt.api != rec.API {
			continue
		}
		params, ok := matchSegments(rt.segs, splitEscaped(escaped))
		if !ok {
			continue
		}
		c.params = params
		if rt.repo {
			c.repo = s.repos[repoKey(params["owner"], params["repo"])]
			if c.repo == nil {
				c.notFound()
				return
			}
			if !s.authorized(c) || !s.visible(c) {
				return
			}
		}
		rt.handle(c)
		return
	}
	s.unexpected(c)
}

// unexpected fails the test for a request the fake does not implement.
func (s *Server) unexpected(c *call) {
	s.t.Errorf("ghfake: unexpected request %s %s", c.r.Method, c.r.URL.RequestURI())
	c.notFound()
}

// rateHeaders sends the primary rate limit headers GitHub sends on every
// API response; the remaining count falls with each request.
func (s *Server) rateHeaders(w http.ResponseWriter) {
	remaining := max(5000-len(s.requests)-1, 1)
	h := w.Header()
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(5000-remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(s.now.Add(3600e9).Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}

func splitPath(p string) []string {
	return strings.Split(strings.Trim(p, "/"), "/")
}

// splitEscaped splits an escaped path and unescapes each segment, so an
// escaped slash stays inside its segment.
func splitEscaped(p string) []string {
	segs := splitPath(p)
	for i, seg := range segs {
		if u, err := url.PathUnescape(seg); err == nil {
			segs[i] = u
		}
	}
	return segs
}

// matchSegments matches path segments against a pattern: {name} or * takes
// one segment, a final {name...} or ** takes at least one.
func matchSegments(pattern, segs []string) (map[string]string, bool) {
	params := map[string]string{}
	for i, p := range pattern {
		if rest, ok := strings.CutSuffix(p, "...}"); ok || p == "**" {
			if i >= len(segs) || i != len(pattern)-1 {
				return nil, false
			}
			params[strings.TrimPrefix(rest, "{")] = strings.Join(segs[i:], "/")
			return params, true
		}
		if i >= len(segs) {
			return nil, false
		}
		switch {
		case p == "*":
		case strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}"):
			if segs[i] == "" {
				return nil, false
			}
			params[p[1:len(p)-1]] = segs[i]
		case p != segs[i]:
			return nil, false
		}
	}
	return params, len(pattern) == len(segs)
}

// Requests returns every request received since New or Reset, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Matching returns the requests whose method and path match. method "" matches
// any method; pathPattern is an API path ("/repos/o/r/issues/1") where {name}
// or * matches one segment and a final {name...} or ** matches the rest.
func (s *Server) Matching(method, pathPattern string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	pat := splitPath(pathPattern)
	var out []Request
	for _, r := range s.requests {
		if method != "" && r.Method != method {
			continue
		}
		if _, ok := matchSegments(pat, splitPath(r.Path)); ok {
			out = append(out, r)
		}
	}
	return out
}

// Count is len(Matching(method, pathPattern)).
func (s *Server) Count(method, pathPattern string) int {
	return len(s.Matching(method, pathPattern))
}

// Writes returns the requests that were not GET or HEAD.
func (s *Server) Writes() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			out = append(out, r)
		}
	}
	return out
}

// Reset forgets the recorded requests; state is kept.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// paginate applies page/per_page (GitHub's defaults: 30, at most 100) and sets
// the Link header GitHub sends.
func paginate[T any](c *call, items []T) []T {
	q := c.r.URL.Query()
	per, err := strconv.Atoi(q.Get("per_page"))
	if err != nil || per <= 0 {
		per = 30
	}
	per = min(per, 100)
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page <= 0 {
		page = 1
	}
	last := max((len(items)+per-1)/per, 1)
	link := func(p int, rel string) string {
		q.Set("page", strconv.Itoa(p))
		u := c.s.srv.URL + c.r.URL.Path + "?" + q.Encode()
		return "<" + u + `>; rel="` + rel + `"`
	}
	var links []string
	if page > 1 {
		links = append(links, link(page-1, "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"))
	}
	if len(links) > 0 {
		c.w.Header().Set("Link", strings.Join(links, ", "))
	}
	start := min((page-1)*per, len(items))
	end := min(start+per, len(items))
	return items[start:end]
}
