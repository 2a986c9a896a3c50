package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/ghfake"
)

// installationDelivery is a signed installation event as GitHub sends
// it, its suspended_at in the form GitHub used for years in App objects.
func (a *app) installationDelivery(action string, id int64, account string, repos ...string) []byte {
	a.t.Helper()
	list := []any{}
	for _, r := range repos {
		list = append(list, map[string]any{"id": 1, "name": r, "full_name": account + "/" + r, "private": true})
	}
	p := map[string]any{
		"action": action,
		"installation": map[string]any{"id": id, "account": map[string]any{"login": account, "type": "Organization"},
			"suspended_at": "2018-04-25 20:42:10", "created_at": 1524688930, "app_id": 42},
		"repositories": list, "sender": map[string]any{"login": "octocat", "type": "User"},
	}
	b, err := json.Marshal(p)
	if err != nil {
		a.t.Fatal(err)
	}
	return b
}

// TestSuspendedInstallationBesideHealthyOne: once an installation is
// suspended (its tokens refused with 403, as GitHub does), its jobs are
// skipped and the sweep leaves it out, so the healthy installation's
// drift is still reported by the sweep; unsuspending verifies its
// repositories again.
func TestSuspendedInstallationBesideHealthyOne(t *testing.T) {
	a := newApp(t, "sweep: {schedule: '@every 2s', spread: 0s}\n")
	const (
		healthyID                 = 88
		healthyOwner, healthyRepo = "beta", "tools"
	)
	a.gh.AddInstallation(ghfake.Installation{ID: healthyID, Account: healthyOwner})
	a.gh.AddRepo(ghfake.Repo{Owner: healthyOwner, Name: healthyRepo, InstallationID: healthyID})
	a.gh.AddRelease(healthyOwner, healthyRepo, ghfake.Release{Tag: tag, Assets: []ghfake.Asset{
		{Name: "vmlinux", Content: kernelV1}, {Name: "rootfs.zst", Content: rootfs}}})
	a.gh.SetFiles(healthyOwner, healthyRepo, "main", map[string]string{
		manifestPth:            strings.ReplaceAll(manifestSource(a.gh, sum(kernelV1)), "/acme/images/", "/beta/tools/"),
		".github/pindrift.yml": repoConfig}, "maintainer")

	if code := a.deliver("installation", "s-1", a.installationDelivery("suspend", instID, owner, name), true); code != http.StatusOK {
		t.Fatalf("suspend delivery answered %d", code)
	}
	a.gh.Fail(ghfake.Failure{Method: http.MethodPost, Path: "/app/installations/77/access_tokens",
		Status: http.StatusForbidden, Message: "This installation has been suspended", Times: 1 << 20})

	a.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2})
	a.gh.UploadAsset(healthyOwner, healthyRepo, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2})
	if code := a.deliver("release", "r-1", a.payload("release.edited.payload.json", nil), true); code != http.StatusOK {
		t.Fatalf("release delivery answered %d", code)
	}
	a.settle()
	if n := len(a.gh.Issues(owner, name)); n != 0 {
		t.Errorf("the suspended installation's repository got %d issues; its jobs should be skipped", n)
	}
	waitFor(t, 30*time.Second, "the sweep to report the healthy installation's drift", func() bool {
		return len(a.gh.Issues(healthyOwner, healthyRepo)) == 1
	})
	if n := len(a.gh.Issues(owner, name)); n != 0 {
		t.Errorf("after the sweep the suspended installation's repository has %d issues", n)
	}

	if code := a.deliver("installation", "s-2", a.installationDelivery("unsuspend", instID, owner, name), true); code != http.StatusOK {
		t.Fatalf("unsuspend delivery answered %d", code)
	}
	a.gh.Recover()
	waitFor(t, 30*time.Second, "the unsuspended installation's drift to be reported", func() bool {
		return len(a.gh.Issues(owner, name)) == 1
	})
}

// TestDeletedInstallationStopsItsWork: after the installation is deleted
// its queued and later jobs do nothing, even when an unsuspend arrives
// out of order.
func TestDeletedInstallationStopsItsWork(t *testing.T) {
	a := newApp(t)
	a.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2})
	for i, action := range []string{"deleted", "unsuspend"} {
		if code := a.deliver("installation", "del-"+action, a.installationDelivery(action, instID, owner), true); code != http.StatusOK {
			t.Fatalf("delivery %d (%s) answered %d", i, action, code)
		}
	}
	before := len(a.gh.Requests())
	if code := a.deliver("release", "r-1", a.payload("release.edited.payload.json", nil), true); code != http.StatusOK {
		t.Fatalf("release delivery answered %d", code)
	}
	a.settle()
	if n := len(a.gh.Issues(owner, name)); n != 0 {
		t.Errorf("a deleted installation's repository got %d issues", n)
	}
	if got := a.gh.Requests()[before:]; len(got) != 0 {
		t.Errorf("a deleted installation's job made %d requests to GitHub, first %s %s", len(got), got[0].Method, got[0].Path)
	}
}
