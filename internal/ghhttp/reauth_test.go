package ghhttp_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/ghhttp"
)

const inst = 5

func installationClient(t *testing.T) (*ghfake.Server, *github.Client) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	gh := ghfake.New(t)
	gh.SetNow(time.Now()) // tokens valid for an hour on the real clock
	gh.AddInstallation(ghfake.Installation{ID: inst, Account: "o"})
	gh.AddRepo(ghfake.Repo{Owner: "o", Name: "r", InstallationID: inst})
	gh.RequireToken()
	tr := ghhttp.NewInstallationTransport(42, key, inst, gh.APIURL(), http.DefaultTransport)
	c := github.NewClient(&http.Client{Transport: tr, Timeout: 10 * time.Second})
	base, err := url.Parse(gh.APIURL())
	if err != nil {
		t.Fatal(err)
	}
	c.BaseURL = base
	return gh, c
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func tokenRequests(gh *ghfake.Server) int {
	return gh.Count(http.MethodPost, "/app/installations/*/access_tokens")
}

func TestRevokedTokenIsReplacedOnce(t *testing.T) {
	t.Parallel()
	gh, c := installationClient(t)
	ctx := testCtx(t)
	if _, _, err := c.Repositories.Get(ctx, "o", "r"); err != nil {
		t.Fatal(err)
	}
	gh.RevokeTokens(inst)
	gh.Reset()

	// Requests in flight when the token is revoked share one new token.
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { _, _, errs[i] = c.Repositories.Get(ctx, "o", "r") })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("request %d after the revocation: %v", i, err)
		}
	}
	if n := tokenRequests(gh); n != 1 {
		t.Errorf("%d token requests; want 1", n)
	}
}

func TestWriteIsReplayedWithItsBody(t *testing.T) {
	t.Parallel()
	gh, c := installationClient(t)
	ctx := testCtx(t)
	if _, _, err := c.Repositories.Get(ctx, "o", "r"); err != nil {
		t.Fatal(err)
	}
	gh.RevokeTokens(inst)
	is, _, err := c.Issues.Create(ctx, "o", "r", &github.IssueRequest{Title: github.String("drift"), Body: github.String("the body")})
	if err != nil {
		t.Fatalf("create issue after the revocation: %v", err)
	}
	got := gh.Issues("o", "r")
	if len(got) != 1 || got[0].Number != is.GetNumber() || got[0].Body != "the body" {
		t.Errorf("issues: %+v; want one, with its body", got)
	}
}

func TestSecond401IsTheAnswer(t *testing.T) {
	t.Parallel()
	gh, c := installationClient(t)
	ctx := testCtx(t)
	if _, _, err := c.Repositories.Get(ctx, "o", "r"); err != nil {
		t.Fatal(err)
	}
	gh.Reset()
	gh.Fail(ghfake.Failure{Method: http.MethodGet, Path: "/repos/o/r", Times: 3, Status: http.StatusUnauthorized,
		Message: "Bad credentials"})
	_, resp, err := c.Repositories.Get(ctx, "o", "r")
	if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("Get = %v, %v; want the 401", resp, err)
	}
	if n, tok := gh.Count(http.MethodGet, "/repos/o/r"), tokenRequests(gh); n != 2 || tok != 1 {
		t.Errorf("%d tries and %d token requests; want 2 and 1", n, tok)
	}
}
