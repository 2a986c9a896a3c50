package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/ghfake"
)

// TestSuspendedInstallationDoesNotStopTheSweep: beside a healthy
// installation whose repository drifted, another installation is
// suspended (GitHub refuses to mint its token with 403). The sweep still
// reports the healthy one's drift, and the suspended one's job ends after
// its one attempt instead of retrying.
func TestSuspendedInstallationDoesNotStopTheSweep(t *testing.T) {
	a := newApp(t, "sweep: {schedule: '@every 2s', spread: 0s}\n")
	const suspended = 99
	// One sweep used to list every installation in one job: this one's
	// 403 failed it whole, and nothing was verified.
	a.gh.AddInstallation(ghfake.Installation{ID: suspended, Account: "aardvark"})
	a.gh.AddRepo(ghfake.Repo{Owner: "aardvark", Name: "tools", InstallationID: suspended})
	a.gh.Fail(ghfake.Failure{Method: http.MethodPost, Path: "/app/installations/99/access_tokens", Times: 1000,
		Status: http.StatusForbidden, Message: "This installation has been suspended"})
	a.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2})
	// An event for the suspended installation's repository: its job too
	// ends after one attempt.
	body := a.payload("release.edited.payload.json", func(p map[string]any) {
		repo := p["repository"].(map[string]any)
		repo["name"], repo["full_name"] = "tools", "aardvark/tools"
		repo["owner"].(map[string]any)["login"] = "aardvark"
		p["installation"] = map[string]any{"id": suspended}
	})
	if code := a.deliver("release", "suspended-1", body, true); code != http.StatusOK {
		t.Fatalf("delivery answered %d", code)
	}

	waitFor(t, 30*time.Second, "the healthy installation's drift to be reported", func() bool {
		return len(a.openIssues()) == 1
	})
	// Sweeps go on every 2 s; compare a moment when no token request is
	// in flight.
	var counts map[string]int64
	var mints int
	waitFor(t, 20*time.Second, "one cancelled job per token request for the suspended installation", func() bool {
		before := a.gh.Count(http.MethodPost, "/app/installations/99/access_tokens")
		c, err := a.srv.JobCounts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		counts, mints = c, a.gh.Count(http.MethodPost, "/app/installations/99/access_tokens")
		return before == mints && c["running"] == 0 && int64(mints) == c["cancelled"]
	})
	t.Logf("jobs %v; %d token requests for the suspended installation", counts, mints)
	if mints == 0 {
		t.Fatal("the sweep never reached the suspended installation; the test proves nothing")
	}
	if counts["retryable"] != 0 || counts["discarded"] != 0 {
		t.Errorf("jobs %v: the suspended installation's job is retried", counts)
	}
}
