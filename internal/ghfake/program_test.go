package ghfake_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/ghfake"
)

// What runs the fake: a test or benchmark hands it itself.
var (
	_ ghfake.T = (*testing.T)(nil)
	_ ghfake.T = (*testing.B)(nil)
	_ ghfake.T = testing.TB(nil)
)

// TestStandaloneRecordsUnknownRequests: outside a test, a request the fake
// does not know is still a failure the program can report.
func TestStandaloneRecordsUnknownRequests(t *testing.T) {
	var log strings.Builder
	tb := ghfake.Standalone(&log)
	defer tb.Close()
	gh := ghfake.New(tb)
	if err := tb.Err(); err != nil {
		t.Fatalf("Err before any request = %v", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, gh.APIURL()+"no/such/endpoint", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	err = tb.Err()
	if err == nil || !strings.Contains(err.Error(), "unexpected request GET /api-v3/no/such/endpoint") {
		t.Errorf("Err = %v, want the unexpected request named", err)
	}
	if !tb.Failed() || len(tb.Failures()) != 1 {
		t.Errorf("Failed = %v, Failures = %q; want one failure", tb.Failed(), tb.Failures())
	}
	if !strings.Contains(log.String(), "unexpected request") {
		t.Errorf("the failure was not logged: %q", log.String())
	}
}

// TestStandaloneFatalIsRecovered: a seeding mistake stops the caller with an
// error it can return, and the fake stays usable (its lock was released).
func TestStandaloneFatalIsRecovered(t *testing.T) {
	tb := ghfake.Standalone(nil)
	defer tb.Close()
	gh := ghfake.New(tb)

	seed := func() (err error) {
		defer tb.Recover(&err)
		gh.UploadAsset("acme", "missing", "v1", ghfake.Asset{Name: "x"})
		return nil
	}
	err := seed()
	var f *ghfake.Fatal
	if !errors.As(err, &f) || !strings.Contains(f.Message, "acme/missing was never added") {
		t.Fatalf("seed() = %v, want a *Fatal naming the repository", err)
	}
	gh.AddRepo(ghfake.Repo{Owner: "acme", Name: "images"})
	if len(gh.Issues("acme", "images")) != 0 {
		t.Error("a new repository has issues")
	}
}

// TestStandaloneCloseRunsCleanups: Close shuts the fake down.
func TestStandaloneCloseRunsCleanups(t *testing.T) {
	tb := ghfake.Standalone(nil)
	gh := ghfake.New(tb)
	tb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, gh.APIURL()+"app", nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := (&http.Client{}).Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("the fake still answers after Close: %s", resp.Status)
	}
}
