package ghfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v62/github"
)

// APIPrefix is the path under which the fake serves the REST API.
const APIPrefix = "/api-v3"

// DefaultAppLogin is the login of the App's bot user unless SetApp changes it.
const DefaultAppLogin = "pindrift[bot]"

// DefaultNow is the fake clock's starting time.
var DefaultNow = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// Server is a fake GitHub. All methods are safe for concurrent use.
type Server struct {
	t      T
	srv    *httptest.Server
	routes []route

	mu            sync.Mutex
	now           time.Time
	lastID        int64
	app           App
	repos         map[string]*repo
	users         map[string]int64
	requests      []Request
	failures      []*failure
	installations map[int64]*installation
	tokens        map[string]int64 // installation token -> installation id
	tokenExpiry   map[string]time.Time
	revoked       map[string]bool // RevokeTokens
	refuse        *refusals       // RefuseRandomly
	tokenSeq      int
	requireToken  bool
	enforceVis    bool // EnforceVisibility
	treeLimit     int  // SetTreeLimit
}

// App describes the GitHub App whose bot user acts through the API.
type App struct {
	ID    int64
	Slug  string
	Login string // bot login, e.g. "pindrift[bot]"
}

// T is what the fake needs of whoever runs it. *testing.T and *testing.B
// satisfy it; a program that is not a test passes a Program. The fake calls
// Errorf for a request it does not expect (so the test fails, loudly, while
// the handler still answers), Fatalf when a seeding helper is asked for
// something the fake does not hold (the caller cannot go on), and Cleanup to
// close its listener.
type T interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// New starts a fake GitHub on loopback; it is closed when t's cleanups run
// (when the test ends, or on Program.Close).
func New(t T) *Server {
	t.Helper()
	s := &Server{
		t:             t,
		now:           DefaultNow,
		lastID:        1000,
		app:           App{ID: 42, Slug: "pindrift", Login: DefaultAppLogin},
		repos:         map[string]*repo{},
		users:         map[string]int64{},
		installations: map[int64]*installation{},
		tokens:        map[string]int64{},
		tokenExpiry:   map[string]time.Time{},
	}
	s.registerRoutes()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	t.Cleanup(s.srv.Close)
	return s
}

// URL is the server's root URL without a trailing slash; HTML and download
// URLs live under it.
func (s *Server) URL() string { return s.srv.URL }

// APIURL is the REST API base URL with a trailing slash, for a client's BaseURL.
func (s *Server) APIURL() string { return s.srv.URL + APIPrefix + "/" }

// Client returns an unauthenticated go-github client pointed at the fake.
func (s *Server) Client() *github.Client { return s.ClientWithToken("") }

// ClientWithToken returns a go-github client that sends token as a Bearer
// credential (no credential when token is empty).
func (s *Server) ClientWithToken(token string) *github.Client {
	c := github.NewClient(s.srv.Client())
	if token != "" {
		c = c.WithAuthToken(token)
	}
	// WithEnterpriseURLs would append "api/v3/" to our base path.
	base, err := url.Parse(s.APIURL())
	if err != nil {
		s.t.Fatalf("ghfake: parse API URL: %v", err)
	}
	c.BaseURL, c.UploadURL = base, base
	return c
}

// SetApp changes the App identity (zero fields keep their current value).
func (s *Server) SetApp(a App) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a.ID != 0 {
		s.app.ID = a.ID
	}
	if a.Slug != "" {
		s.app.Slug = a.Slug
	}
	if a.Login != "" {
		s.app.Login = a.Login
	}
}

// AppLogin is the bot login used for everything created through the API.
func (s *Server) AppLogin() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.app.Login
}

// SetNow sets the fake clock. Each state change advances it by one second so
// timestamps are distinct and deterministic.
func (s *Server) SetNow(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = t.UTC()
}

// Advance moves the fake clock forward.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = s.now.Add(d)
}

// Now reads the fake clock.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

// tick advances the clock by a second and returns the new time. Callers hold mu.
func (s *Server) tick() time.Time {
	s.now = s.now.Add(time.Second)
	return s.now
}

// newID returns a fresh id shared by all object kinds, as GitHub ids are
// unique enough that tests must not rely on their values. Callers hold mu.
func (s *Server) newID() int64 {
	s.lastID++
	return s.lastID
}

// route is one known endpoint. Patterns use {name} for one path segment and
// a final {name...} for the rest of the path.
type route struct {
	method  string
	api     bool
	pattern string
	segs    []string
	repo    bool // pattern starts with /repos/{owner}/{repo}: resolve it
	handle  func(*call)
}

func (s *Server) api(pattern string, h func(*call)) {
	method, p, _ := strings.Cut(pattern, " ")
	s.routes = append(s.routes, route{method: method, api: true, pattern: p, segs: splitPath(p),
		repo: strings.HasPrefix(p, "/repos/{owner}/{repo}"), handle: h})
}

func (s *Server) raw(pattern string, h func(*call)) {
	method, p, _ := strings.Cut(pattern, " ")
	s.routes = append(s.routes, route{method: method, pattern: p, segs: splitPath(p), handle: h})
}

func (s *Server) registerRoutes() {
	s.registerRepoRoutes()
	s.registerGitRoutes()
	s.registerContentRoutes()
	s.registerIssueRoutes()
	s.registerPullRoutes()
	s.registerReleaseRoutes()
	s.registerCheckRoutes()
	s.registerAppRoutes()
	s.registerAttestationRoutes()
	s.registerManifestRoutes()
}

// call is one request being served, with the lock held.
type call struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	body   []byte
	params map[string]string
	repo   *repo
	rec    *Request
}

func (c *call) param(name string) string { return c.params[name] }

func (c *call) json(status int, v any) {
	c.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	c.w.WriteHeader(status)
	if err := json.NewEncoder(c.w).Encode(v); err != nil {
		// The client went away; the test sees its own error.
		return
	}
}

func (c *call) noContent() { c.w.WriteHeader(http.StatusNoContent) }

// errorJSON writes GitHub's error body.
func (c *call) errorJSON(status int, message string, errs ...obj) {
	body := obj{"message": message, "documentation_url": "https://docs.github.com/rest",
		"status": strconv.Itoa(status)}
	if len(errs) > 0 {
		body["errors"] = errs
	}
	c.json(status, body)
}

func (c *call) notFound() { c.errorJSON(http.StatusNotFound, "Not Found") }

// invalid writes GitHub's 422 "Validation Failed" with one error entry.
func (c *call) invalid(resource, field, code, message string) {
	e := obj{"resource": resource, "field": field, "code": code}
	if message != "" {
		e["message"] = message
	}
	c.errorJSON(http.StatusUnprocessableEntity, "Validation Failed", e)
}

// decode reads the JSON body into v, answering 400 on malformed JSON.
func (c *call) decode(v any) bool {
	if err := json.Unmarshal(c.body, v); err != nil {
		c.errorJSON(http.StatusBadRequest, "Problems parsing JSON")
		return false
	}
	return true
}

// intParam parses a numeric path parameter, answering 404 when it is not one.
func (c *call) intParam(name string) (int64, bool) {
	n, err := strconv.ParseInt(c.params[name], 10, 64)
	if err != nil {
		c.notFound()
		return 0, false
	}
	return n, true
}

type obj = map[string]any

func (s *Server) apiURL(format string, args ...any) string {
	return s.srv.URL + APIPrefix + fmt.Sprintf(format, args...)
}

func (s *Server) htmlURL(format string, args ...any) string {
	return s.srv.URL + fmt.Sprintf(format, args...)
}

func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}
