package ghfake

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
)

const fakeJWT = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiI0MiJ9.c2ln"

func TestInstallationTokens(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.AddInstallation(Installation{ID: 7, Account: "o"})
	s.AddRepo(Repo{Owner: "o", Name: "r", InstallationID: 7})
	s.AddRepo(Repo{Owner: "x", Name: "y"})
	s.RequireToken()
	cx := ctx(t)
	if _, _, err := s.ClientWithToken("not-a-jwt").Apps.CreateInstallationToken(cx, 7, nil); status(err) != http.StatusUnauthorized {
		t.Errorf("token without JWT: %v, want 401", err)
	}
	app := s.ClientWithToken(fakeJWT)
	inst, _, err := app.Apps.FindRepositoryInstallation(cx, "o", "r")
	if err != nil || inst.GetID() != 7 {
		t.Fatalf("FindRepositoryInstallation = %+v, %v", inst, err)
	}
	if _, _, err := app.Apps.FindRepositoryInstallation(cx, "x", "y"); status(err) != http.StatusNotFound {
		t.Errorf("repo without installation: %v, want 404", err)
	}
	tok, _, err := app.Apps.CreateInstallationToken(cx, 7, nil)
	if err != nil || tok.GetExpiresAt().Sub(s.Now()) != time.Hour {
		t.Fatalf("CreateInstallationToken = %+v, %v", tok, err)
	}
	c := s.ClientWithToken(tok.GetToken())
	if _, _, err := c.Repositories.Get(cx, "o", "r"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Repositories.Get(cx, "x", "y"); status(err) != http.StatusNotFound {
		t.Errorf("other installation's repo: %v, want 404", err)
	}
	if _, _, err := s.Client().Repositories.Get(cx, "o", "r"); status(err) != http.StatusUnauthorized {
		t.Errorf("no token: %v, want 401", err)
	}
	s.Advance(time.Hour)
	if _, _, err := c.Repositories.Get(cx, "o", "r"); status(err) != http.StatusUnauthorized {
		t.Errorf("expired token: %v, want 401", err)
	}
	if got := s.Matching("GET", "/repos/o/r")[0]; got.Installation != 7 || got.Token != tok.GetToken() {
		t.Errorf("recorded token %q installation %d", got.Token, got.Installation)
	}
}

func TestCollaboratorPermission(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.AddRepo(Repo{Owner: "o", Name: "r", Private: true})
	s.SetPermission("o", "r", "alice", "maintain")
	c := s.Client()
	for login, want := range map[string]string{"alice": "write", "mallory": "none"} {
		p, _, err := c.Repositories.GetPermissionLevel(ctx(t), "o", "r", login)
		if err != nil || p.GetPermission() != want || p.GetUser().GetLogin() != login {
			t.Errorf("%s: %+v, %v; want %s", login, p, err, want)
		}
	}
	// role_name, absent from go-github v62, keeps the finer role.
	req, _ := c.NewRequest("GET", "repos/o/r/collaborators/alice/permission", nil)
	var raw struct {
		RoleName string `json:"role_name"`
	}
	if _, err := c.Do(ctx(t), req, &raw); err != nil || raw.RoleName != "maintain" {
		t.Errorf("role_name = %q, %v; want maintain", raw.RoleName, err)
	}
}

func TestInjectedFailures(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.AddIssue("o", "r", Issue{Title: "t"})
	c := s.Client()
	cx := ctx(t)
	s.FailStatus("GET", "/repos/o/r/issues/{n}", 2, http.StatusBadGateway)
	for range 2 {
		if _, _, err := c.Issues.Get(cx, "o", "r", 1); status(err) != http.StatusBadGateway {
			t.Errorf("injected 502: %v", err)
		}
	}
	if _, _, err := c.Issues.Get(cx, "o", "r", 1); err != nil {
		t.Errorf("after the failures: %v", err)
	}
	reset := time.Now().Add(-time.Minute) // in the past so go-github does not block locally
	s.RateLimit("", "/repos/**", 1, reset)
	_, _, err := c.Issues.Get(cx, "o", "r", 1)
	if rl, ok := err.(*github.RateLimitError); !ok || rl.Rate.Remaining != 0 || !rl.Rate.Reset.Time.Equal(reset.Truncate(time.Second)) {
		t.Errorf("rate limit: %#v, want *github.RateLimitError", err)
	}
	s.RetryAfter("POST", "/repos/o/r/issues", 1, 30*time.Second)
	_, resp, err := c.Issues.Create(cx, "o", "r", &github.IssueRequest{Title: github.String("x")})
	if status(err) != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "30" {
		t.Errorf("secondary rate limit: %v", err)
	}
	if n := s.PendingFailures(); n != 0 {
		t.Errorf("%d failures left", n)
	}
	if n := len(s.Issues("o", "r")); n != 1 {
		t.Errorf("%d issues, want 1: a failed create must not create", n)
	}
}

func TestInstallationRepositories(t *testing.T) {
	s := New(t)
	s.AddInstallation(Installation{ID: 5, Account: "acme"})
	s.AddRepo(Repo{Owner: "acme", Name: "b", InstallationID: 5})
	s.AddRepo(Repo{Owner: "acme", Name: "a", InstallationID: 5})
	s.AddRepo(Repo{Owner: "other", Name: "c", InstallationID: 9})
	repos, _, err := s.ClientWithToken(s.NewToken(5)).Apps.ListRepos(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range repos.Repositories {
		names = append(names, r.GetFullName())
	}
	if strings.Join(names, ",") != "acme/a,acme/b" || repos.GetTotalCount() != 2 {
		t.Errorf("repositories %v (total %d), want acme/a, acme/b", names, repos.GetTotalCount())
	}
}
