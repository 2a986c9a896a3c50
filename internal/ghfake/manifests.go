package ghfake

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"html"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// GitHub's manifest flow, as a person goes through it: a page posts the
// manifest to /settings/apps/new (or the organization's), the person clicks
// "Create GitHub App", GitHub redirects to the manifest's redirect_url with a
// one-time code, and the code is exchanged without credentials for the
// App's id, private key and webhook secret. The fake creates the App as
// soon as the manifest arrives, as if the person had clicked.

// DefaultManifestUser is the signed-in user who owns Apps created on the
// user settings page, unless SetManifestUser changes it.
const DefaultManifestUser = "octocat"

// CreatedApp is an App created through the manifest flow.
type CreatedApp struct {
	ID    int64
	Slug  string
	Name  string
	Owner string // the organization, or the signed-in user
	Org   bool   // created under /organizations/{org}/settings/apps/new
	// Manifest is the manifest as submitted.
	Manifest map[string]any
	// State is the state query parameter the form was posted with.
	State         string
	Code          string
	Converted     bool
	PEM           string
	WebhookSecret string
	ClientID      string
	ClientSecret  string
	CreatedAt     time.Time
}

// manifestState is the fake's state for the manifest flow and the key App
// JWTs are checked with. It is kept per fake in manifestStates rather than
// in Server because Server's fields live in server.go, which this part of
// the fake leaves alone. Callers hold the fake's mu.
type manifestState struct {
	user    string
	key     *rsa.PublicKey
	created []*CreatedApp
	byCode  map[string]*CreatedApp
}

var manifestStates sync.Map // *Server -> *manifestState

// manifestState returns the fake's manifest state. Callers hold mu.
func (s *Server) manifestState() *manifestState {
	if st, ok := manifestStates.Load(s); ok {
		return st.(*manifestState)
	}
	st := &manifestState{user: DefaultManifestUser, byCode: map[string]*CreatedApp{}}
	manifestStates.Store(s, st)
	return st
}

func (s *Server) registerManifestRoutes() {
	s.t.Cleanup(func() { manifestStates.Delete(s) })
	s.raw("GET /settings/apps/new", s.newAppPage)
	s.raw("GET /organizations/{org}/settings/apps/new", s.newAppPage)
	s.raw("POST /settings/apps/new", s.createAppFromManifest)
	s.raw("POST /organizations/{org}/settings/apps/new", s.createAppFromManifest)
	s.api("POST /app-manifests/{code}/conversions", s.convertManifest)
}

// SetManifestUser sets the signed-in user who owns Apps created on the
// user settings page.
func (s *Server) SetManifestUser(login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.manifestState().user = login
}

// SetAppKey makes App endpoints require a JWT signed with the private half
// of key (RS256, issuer the App's id, unexpired); nil accepts any
// well-formed JWT again. A manifest conversion sets it to the new App's key.
func (s *Server) SetAppKey(key *rsa.PublicKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.manifestState().key = key
}

// CreatedApps lists the Apps created through the manifest flow, oldest first.
func (s *Server) CreatedApps() []CreatedApp {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CreatedApp
	for _, a := range s.manifestState().created {
		c := *a
		c.Manifest = maps.Clone(a.Manifest)
		out = append(out, c)
	}
	return out
}

// newAppPage is GitHub's "Register new GitHub App" page, reached without a
// manifest.
func (s *Server) newAppPage(c *call) {
	owner := "your personal account"
	if org := c.param("org"); org != "" {
		owner = "the organization " + org
	}
	c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	c.w.WriteHeader(http.StatusOK)
	fmt.Fprintf(c.w, "<!doctype html><title>Register new GitHub App</title><h1>Register new GitHub App for %s</h1>\n",
		html.EscapeString(owner))
}

// htmlError answers the HTML side's error page.
func (c *call) htmlError(status int, message string) {
	c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	c.w.WriteHeader(status)
	fmt.Fprintf(c.w, "<!doctype html><title>Error</title><p class=\"flash-error\">%s</p>\n", html.EscapeString(message))
}

var slugUnsafe = regexp.MustCompile(`[^a-z0-9]+`)

func (s *Server) createAppFromManifest(c *call) {
	form, err := url.ParseQuery(string(c.body))
	if err != nil {
		c.htmlError(http.StatusBadRequest, "The form could not be read: "+err.Error())
		return
	}
	raw := form.Get("manifest")
	if raw == "" {
		c.htmlError(http.StatusUnprocessableEntity, "Invalid GitHub App manifest: the manifest parameter is missing")
		return
	}
	var m struct {
		Name           string `json:"name"`
		URL            string `json:"url"`
		HookAttributes *struct {
			URL    string `json:"url"`
			Active *bool  `json:"active"`
		} `json:"hook_attributes"`
		RedirectURL string `json:"redirect_url"`
	}
	var fields map[string]any
	if json.Unmarshal([]byte(raw), &m) != nil || json.Unmarshal([]byte(raw), &fields) != nil {
		c.htmlError(http.StatusUnprocessableEntity, "Invalid GitHub App manifest: not a JSON object")
		return
	}
	var problems []string
	if strings.TrimSpace(m.Name) == "" {
		problems = append(problems, "Name can't be blank")
	}
	if m.URL == "" {
		problems = append(problems, "Homepage URL can't be blank")
	}
	if m.HookAttributes != nil && (m.HookAttributes.Active == nil || *m.HookAttributes.Active) && m.HookAttributes.URL == "" {
		problems = append(problems, "Hook URL can't be blank")
	}
	redirect, err := url.Parse(m.RedirectURL)
	if err != nil || (redirect.Scheme != "http" && redirect.Scheme != "https") || redirect.Host == "" {
		problems = append(problems, "Redirect URL must be an absolute http or https URL")
	}
	if len(problems) > 0 {
		c.htmlError(http.StatusUnprocessableEntity, "Invalid GitHub App manifest: "+strings.Join(problems, "; "))
		return
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		c.htmlError(http.StatusInternalServerError, err.Error())
		return
	}
	st := s.manifestState()
	app := &CreatedApp{
		ID: s.newID(), Name: m.Name, Owner: st.user, Org: c.param("org") != "",
		Slug:     strings.Trim(slugUnsafe.ReplaceAllString(strings.ToLower(m.Name), "-"), "-"),
		Manifest: fields, State: c.r.URL.Query().Get("state"), Code: randomHex(20),
		PEM:           string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})),
		WebhookSecret: randomHex(20), ClientID: "Iv1." + randomHex(8), ClientSecret: randomHex(20),
		CreatedAt: s.tick(),
	}
	if app.Org {
		app.Owner = c.param("org")
	}
	st.created = append(st.created, app)
	st.byCode[app.Code] = app

	q := redirect.Query()
	q.Set("code", app.Code)
	if app.State != "" {
		q.Set("state", app.State)
	}
	redirect.RawQuery = q.Encode()
	c.w.Header().Set("Location", redirect.String())
	c.w.WriteHeader(http.StatusFound)
}

// convertManifest exchanges a manifest code, once, for the App's
// credentials. It needs no authentication: the code is the credential.
func (s *Server) convertManifest(c *call) {
	st := s.manifestState()
	app := st.byCode[c.param("code")]
	if app == nil {
		c.notFound()
		return
	}
	delete(st.byCode, app.Code)
	app.Converted = true
	block, _ := pem.Decode([]byte(app.PEM))
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		c.errorJSON(http.StatusInternalServerError, err.Error())
		return
	}
	// From now on the fake is this App: its JWTs must be signed with its key.
	s.app = App{ID: app.ID, Slug: app.Slug, Login: app.Slug + "[bot]"}
	st.key = &key.PublicKey

	perms := map[string]any{"metadata": "read"} // GitHub grants it to every App
	if p, ok := app.Manifest["default_permissions"].(map[string]any); ok {
		maps.Copy(perms, p)
	}
	events, _ := app.Manifest["default_events"].([]any)
	if events == nil {
		events = []any{}
	}
	owner := s.userJSON(app.Owner)
	if app.Org {
		owner["type"] = "Organization"
	}
	c.json(http.StatusCreated, obj{
		"id": app.ID, "slug": app.Slug, "node_id": nodeID("A", app.ID), "owner": owner, "name": app.Name,
		"description": app.Manifest["description"], "external_url": app.Manifest["url"],
		"html_url":   s.htmlURL("/apps/%s", app.Slug),
		"created_at": ts(app.CreatedAt), "updated_at": ts(app.CreatedAt),
		"client_id": app.ClientID, "client_secret": app.ClientSecret, "webhook_secret": app.WebhookSecret,
		"pem": app.PEM, "permissions": perms, "events": events,
	})
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}
