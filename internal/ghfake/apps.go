package ghfake

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

// Installation is an installation of the App on an account.
type Installation struct {
	ID          int64
	Account     string
	Permissions map[string]string // e.g. {"contents": "write"}; a default set when nil
}

type installation struct {
	Installation
}

// AddInstallation seeds an installation; repositories join it through
// Repo.InstallationID.
func (s *Server) AddInstallation(in Installation) Installation {
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.Permissions == nil {
		in.Permissions = map[string]string{"checks": "write", "contents": "write", "issues": "write",
			"metadata": "read", "pull_requests": "write"}
	}
	s.installations[in.ID] = &installation{Installation: in}
	return in
}

// NewToken issues an installation token without a request, for tests that
// start from an authenticated client.
func (s *Server) NewToken(installationID int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, _ := s.newToken(installationID)
	return tok
}

func (s *Server) newToken(id int64) (string, time.Time) {
	s.tokenSeq++
	tok := fmt.Sprintf("ghs_fake%d_%04d", id, s.tokenSeq)
	exp := s.now.Add(time.Hour)
	s.tokens[tok] = id
	s.tokenExpiry[tok] = exp
	return tok, exp
}

// RequireToken makes repository endpoints answer 401 unless the request
// carries an unexpired token of the installation covering the repository
// (404 for a valid token of another installation, as GitHub hides them).
func (s *Server) RequireToken() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requireToken = true
}

// authorized enforces RequireToken for a repository request. Callers hold mu.
func (s *Server) authorized(c *call) bool {
	// The repository's installation is looked up with the App's JWT.
	if !s.requireToken || strings.HasSuffix(c.rec.Path, "/installation") {
		return true
	}
	id, ok := s.tokens[c.rec.Token]
	if !ok || !s.now.Before(s.tokenExpiry[c.rec.Token]) {
		c.errorJSON(http.StatusUnauthorized, "Bad credentials")
		return false
	}
	if id != c.repo.InstallationID {
		c.notFound()
		return false
	}
	return true
}

func (s *Server) registerAppRoutes() {
	s.api("GET /app", s.getApp)
	s.api("GET /app/installations", s.listInstallations)
	s.api("GET /app/installations/{id}", s.getInstallation)
	s.api("POST /app/installations/{id}/access_tokens", s.createToken)
	s.api("GET /repos/{owner}/{repo}/installation", s.repoInstallation)
	s.api("GET /installation/repositories", s.installationRepos)
}

// jwt checks for the App's JWT, answering 401 as GitHub does without one.
// Once the App has a public key (SetAppKey, or an App created through the
// manifest flow) the JWT must also be signed with it and valid as GitHub
// requires; until then any well-formed JWT passes, so tests that do not
// care about keys need none.
func (c *call) jwt() bool {
	scheme, cred, _ := strings.Cut(c.r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || strings.Count(cred, ".") != 2 {
		c.errorJSON(http.StatusUnauthorized, "A JSON web token could not be decoded")
		return false
	}
	key := c.s.manifestState().key
	if key == nil {
		return true
	}
	if msg := checkAppJWT(cred, key, c.s.app.ID); msg != "" {
		c.errorJSON(http.StatusUnauthorized, msg)
		return false
	}
	return true
}

// maxJWTLifetime is how far in the future GitHub accepts an App JWT's expiry.
const maxJWTLifetime = 10 * time.Minute

// checkAppJWT says why GitHub would refuse token as a JWT of App appID, or
// "". Times are checked against the real clock, not the fake's: the client
// signs with the real one.
func checkAppJWT(token string, key *rsa.PublicKey, appID int64) string {
	var claims jwt.RegisteredClaims
	_, err := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"})).ParseWithClaims(token, &claims,
		func(*jwt.Token) (any, error) { return key, nil })
	now := time.Now()
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
	case err != nil:
		return "A JSON web token could not be decoded"
	case claims.ExpiresAt == nil:
		return "Missing 'exp' claim"
	case claims.ExpiresAt.Sub(now) > maxJWTLifetime:
		return "'Expiration time' claim ('exp') is too far in the future"
	case claims.Issuer != strconv.FormatInt(appID, 10):
		return fmt.Sprintf("'Issuer' claim ('iss') must be the App's id %d, not %q", appID, claims.Issuer)
	}
	return ""
}

func (s *Server) appJSON() obj {
	return obj{"id": s.app.ID, "slug": s.app.Slug, "name": s.app.Slug, "node_id": nodeID("A", s.app.ID),
		"html_url": s.htmlURL("/apps/%s", s.app.Slug)}
}

func (s *Server) installationJSON(in *installation) obj {
	return obj{"id": in.ID, "app_id": s.app.ID, "app_slug": s.app.Slug, "account": s.userJSON(in.Account),
		"target_type": "Organization", "permissions": in.Permissions, "repository_selection": "selected",
		"events":            []string{"check_run", "issue_comment", "issues", "pull_request", "push", "release"},
		"access_tokens_url": s.apiURL("/app/installations/%d/access_tokens", in.ID),
		"html_url":          s.htmlURL("/settings/installations/%d", in.ID)}
}

func (s *Server) getApp(c *call) {
	if c.jwt() {
		c.json(http.StatusOK, s.appJSON())
	}
}

func (s *Server) listInstallations(c *call) {
	if !c.jwt() {
		return
	}
	ids := slices.Sorted(maps.Keys(s.installations))
	out := []obj{}
	for _, id := range ids {
		out = append(out, s.installationJSON(s.installations[id]))
	}
	c.json(http.StatusOK, paginate(c, out))
}

func (c *call) installationParam() *installation {
	id, ok := c.intParam("id")
	if !ok {
		return nil
	}
	in := c.s.installations[id]
	if in == nil {
		c.notFound()
	}
	return in
}

func (s *Server) getInstallation(c *call) {
	if !c.jwt() {
		return
	}
	if in := c.installationParam(); in != nil {
		c.json(http.StatusOK, s.installationJSON(in))
	}
}

func (s *Server) createToken(c *call) {
	if !c.jwt() {
		return
	}
	in := c.installationParam()
	if in == nil {
		return
	}
	var req struct {
		Repositories []string
		Permissions  map[string]string
	}
	if len(c.body) > 0 && !c.decode(&req) {
		return
	}
	perms := in.Permissions
	if req.Permissions != nil {
		perms = req.Permissions
	}
	tok, exp := s.newToken(in.ID)
	c.json(http.StatusCreated, obj{"token": tok, "expires_at": ts(exp), "permissions": perms,
		"repository_selection": "selected"})
}

func (s *Server) repoInstallation(c *call) {
	if !c.jwt() {
		return
	}
	in := s.installations[c.repo.InstallationID]
	if in == nil {
		c.notFound()
		return
	}
	c.json(http.StatusOK, s.installationJSON(in))
}

// installationRepos lists the repositories of the installation whose
// token the request carries.
func (s *Server) installationRepos(c *call) {
	id := c.rec.Installation
	if id == 0 || s.installations[id] == nil {
		c.errorJSON(http.StatusUnauthorized, "Bad credentials")
		return
	}
	var repos []*repo
	for _, rp := range s.repos {
		if rp.InstallationID == id {
			repos = append(repos, rp)
		}
	}
	slices.SortFunc(repos, func(a, b *repo) int { return strings.Compare(a.FullName(), b.FullName()) })
	out := []obj{}
	for _, rp := range repos {
		out = append(out, s.repoJSON(rp))
	}
	page := paginate(c, out)
	c.json(http.StatusOK, obj{"total_count": len(out), "repository_selection": "selected", "repositories": page})
}
