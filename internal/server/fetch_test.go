package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/pindrift/pindrift/internal/ghfake"
)

// openPR opens a pull request by author whose head commits manifest src,
// and delivers its pull_request event.
func (a *app) openPR(author, branch, src, delivery string) string {
	a.t.Helper()
	a.gh.CreateBranch(owner, name, branch, "main")
	head := a.gh.SetFile(owner, name, branch, manifestPth, src, author)
	pr := a.gh.AddPullRequest(owner, name, ghfake.PullRequest{Title: "Pin", Head: branch, Base: "main", Author: author})
	ev := a.payload("release.edited.payload.json", func(p map[string]any) {
		delete(p, "release")
		delete(p, "changes")
		p["action"] = "opened"
		p["number"] = pr.Number
		p["pull_request"] = map[string]any{"number": pr.Number, "state": "open",
			"head": map[string]any{"sha": head, "ref": branch, "repo": p["repository"]},
			"base": map[string]any{"ref": "main", "repo": p["repository"]}}
	})
	if code := a.deliver("pull_request", delivery, ev, true); code != http.StatusOK {
		a.t.Fatalf("pull_request delivery answered %d", code)
	}
	a.settle()
	return head
}

// TestPublicPRCannotReadPrivateRelease is the attack: a pull request on a
// public repository pins an asset of a private repository of the same
// installation. With metadata mode the installation token used to read
// its digest from the API and the public check run printed it.
func TestPublicPRCannotReadPrivateRelease(t *testing.T) {
	a := newApp(t)
	a.gh.EnforceVisibility()
	secretBytes := []byte(strings.Repeat("secret ", 5000))
	a.gh.AddRepo(ghfake.Repo{Owner: owner, Name: "secret", InstallationID: instID, Private: true})
	a.gh.AddRelease(owner, "secret", ghfake.Release{Tag: "v1", Assets: []ghfake.Asset{{Name: "secret.bin", Content: secretBytes}}})
	a.gh.SetFile(owner, name, "main", ".github/pindrift.yml", "manifests:\n  - path: "+manifestPth+"\nverify: {mode: metadata}\n", "maintainer")

	src := strings.Replace(manifestSource(a.gh, sum(kernelV1)), `f"{BASE}/vmlinux"`, `"`+a.gh.URL()+`/acme/secret/releases/download/v1/secret.bin"`, 1)
	head := a.openPR("outsider", "probe", src, "leak-1")
	runs := a.gh.CheckRuns(owner, name, head)
	if len(runs) != 1 {
		t.Fatalf("check runs on the PR: %+v", runs)
	}
	out := runs[0].Output.Summary + runs[0].Output.Text
	for _, an := range runs[0].Output.Annotations {
		out += an.Message
	}
	if strings.Contains(out, sum(secretBytes)) {
		t.Errorf("the public check run shows the private asset's digest:\n%s", out)
	}
	if !strings.Contains(out, "unreachable") || !strings.Contains(out, "not found among the releases this repository may read") {
		t.Errorf("the check run does not say the asset is unreachable:\n%s", out)
	}
}

// TestTokenStaysAtTheAPIOrigin: the API redirects a call to another port
// of the same host; the installation token must not follow.
func TestTokenStaysAtTheAPIOrigin(t *testing.T) {
	a := newApp(t)
	var mu sync.Mutex
	var auths []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		http.NotFound(w, r)
	}))
	t.Cleanup(other.Close)
	a.gh.SetFile(owner, name, "main", ".github/pindrift.yml", "manifests:\n  - path: "+manifestPth+"\nverify: {mode: metadata}\n", "maintainer")
	h := http.Header{}
	h.Set("Location", other.URL+"/api-v3/repos/acme/images/releases/tags/"+tag)
	a.gh.Fail(ghfake.Failure{Method: "GET", Path: "/repos/acme/images/releases/tags/{tag}", Status: http.StatusTemporaryRedirect, Header: h})
	a.deliver("release", "origin-1", a.payload("release.edited.payload.json", nil), true)
	a.settle()
	mu.Lock()
	defer mu.Unlock()
	if len(auths) == 0 {
		t.Fatal("the redirect was not followed; the test proves nothing")
	}
	for _, got := range auths {
		if got != "" {
			t.Errorf("the listener on another port received Authorization %q", got)
		}
	}
}

// TestPRCheckBytesAreCounted: the bytes a pull request's check downloads
// show in pindrift_verified_bytes_total. (An author without write access
// would get GitHub's digests and download nothing.)
func TestPRCheckBytesAreCounted(t *testing.T) {
	a := newApp(t)
	a.gh.SetPermission(owner, name, "maintainer", "write")
	head := a.openPR("maintainer", "wrong", manifestSource(a.gh, strings.Repeat("f", 64)), "bytes-1")
	if runs := a.gh.CheckRuns(owner, name, head); len(runs) != 1 {
		t.Fatalf("check runs on the PR: %+v", runs)
	}
	_, metrics := get(t, a.metricsURL+"/metrics")
	if got, want := metricValue(metrics, "pindrift_verified_bytes_total"), float64(len(kernelV1)+len(rootfs)); got != want {
		t.Errorf("pindrift_verified_bytes_total = %v, want the %v bytes the check downloaded", got, want)
	}
}
