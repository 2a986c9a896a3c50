package ghfake

import (
	"net/http"
	"testing"
)

// A conditional GET of an unchanged resource answers 304 and is recorded
// as not counted; once the resource changes the same ETag gets the new body.
func TestIfNoneMatchAnswers304UntilTheResourceChanges(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.SetFile("o", "r", "main", "README", "hi", "alice")
	get := func(etag string) *http.Response {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx(t), http.MethodGet, s.APIURL()+"repos/o/r/contents/README", nil)
		if err != nil {
			t.Fatal(err)
		}
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	first := get("")
	etag := first.Header.Get("ETag")
	if first.StatusCode != http.StatusOK || etag == "" {
		t.Fatalf("first GET = %d with ETag %q; want 200 with an ETag", first.StatusCode, etag)
	}
	if again := get(etag); again.StatusCode != http.StatusNotModified {
		t.Fatalf("GET with If-None-Match of the current ETag = %d; want 304", again.StatusCode)
	}
	s.SetFile("o", "r", "main", "README", "changed", "alice")
	if changed := get(etag); changed.StatusCode != http.StatusOK || changed.Header.Get("ETag") == etag {
		t.Fatalf("GET after a change = %d with ETag %q; want 200 with a new ETag", changed.StatusCode, changed.Header.Get("ETag"))
	}
	var counted, notModified int
	for _, r := range s.Requests() {
		if r.Counted() {
			counted++
		}
		if r.NotModified() {
			notModified++
		}
	}
	if counted != 2 || notModified != 1 {
		t.Errorf("counted %d, not modified %d; want 2 and 1", counted, notModified)
	}
}

// A revoked token answers 401 everywhere; a new token of the same
// installation works.
func TestRevokedTokenAnswers401(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.AddInstallation(Installation{ID: 7, Account: "o"})
	s.AddRepo(Repo{Owner: "o", Name: "r", InstallationID: 7})
	s.RequireToken()
	old := s.NewToken(7)
	if _, _, err := s.ClientWithToken(old).Repositories.Get(ctx(t), "o", "r"); err != nil {
		t.Fatalf("before revocation: %v", err)
	}
	if n := s.RevokeTokens(7); n != 1 {
		t.Fatalf("RevokeTokens = %d; want 1", n)
	}
	_, resp, err := s.ClientWithToken(old).Repositories.Get(ctx(t), "o", "r")
	if err == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("revoked token: %v, %v; want 401", resp, err)
	}
	if _, _, err := s.ClientWithToken(s.NewToken(7)).Repositories.Get(ctx(t), "o", "r"); err != nil {
		t.Fatalf("new token: %v", err)
	}
}
