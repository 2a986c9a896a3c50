package server_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/ghfake"
)

// TestRevokedTokenIsReplaced: GitHub revokes the installation token the
// App holds; the next job's first call gets 401, the App mints one new
// token and the job goes on, instead of failing for up to an hour.
func TestRevokedTokenIsReplaced(t *testing.T) {
	a := newApp(t)
	// Tokens the fake issues expire an hour after its clock: on the real
	// clock, so the App keeps the one it holds.
	a.gh.SetNow(time.Now())
	a.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2, Uploader: "octocat"})
	a.deliver("release", "r-1", a.payload("release.edited.payload.json", nil), true)
	a.settle()
	if len(a.openIssues()) != 1 {
		t.Fatalf("setup: %d open issues; want 1", len(a.openIssues()))
	}
	if n := a.gh.RevokeTokens(instID); n == 0 {
		t.Fatal("the App holds no token to revoke")
	}
	a.gh.Reset()

	a.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV1, Uploader: "octocat"})
	a.deliver("release", "r-2", a.payload("release.edited.payload.json", nil), true)
	a.settle()
	if n := len(a.openIssues()); n != 0 {
		t.Errorf("after the bytes came back: %d open issues; want the issue closed by a run with a new token", n)
	}
	if n := a.gh.Count(http.MethodPost, "/app/installations/*/access_tokens"); n != 1 {
		t.Errorf("%d token requests after the revocation; want 1", n)
	}
	unauthorized := 0
	for _, r := range a.gh.Requests() {
		if r.Status == http.StatusUnauthorized {
			unauthorized++
		}
	}
	if unauthorized != 1 {
		t.Errorf("%d requests answered 401; want 1 (the first with the revoked token)", unauthorized)
	}
}
