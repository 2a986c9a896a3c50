package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/ghfake"
)

// TestConvergesUnderSecondaryRateLimits: GitHub refuses one call in five
// with a secondary rate limit (403, Retry-After) while five repositories
// drift; every one of them still gets its tracking issue and fix PR.
// Before, a job dropped everything it had read at each refusal and started
// again, and none of them ever had the calls it needs in a row.
func TestConvergesUnderSecondaryRateLimits(t *testing.T) {
	a := newApp(t)
	a.gh.SetNow(time.Now()) // tokens live an hour on the real clock
	repos := []string{name}
	for i := 1; i < 5; i++ {
		repos = append(repos, fmt.Sprintf("images-%d", i))
		a.gh.AddRepo(ghfake.Repo{Owner: owner, Name: repos[i], InstallationID: instID})
		a.gh.AddRelease(owner, repos[i], ghfake.Release{Tag: tag, Assets: []ghfake.Asset{
			{Name: "vmlinux", Content: kernelV1}, {Name: "rootfs.zst", Content: rootfs}}})
	}
	for _, r := range repos {
		src := manifestSource(a.gh, sum(kernelV1))
		if r != name {
			src = replaceRepo(src, r)
		}
		a.gh.SetFiles(owner, r, "main", map[string]string{manifestPth: src, ".github/pindrift.yml": repoConfig}, "maintainer")
		a.gh.UploadAsset(owner, r, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2, Uploader: "octocat"})
	}
	a.gh.RefuseRandomly(0.2, 1, time.Second)
	for i, r := range repos {
		body := a.payload("release.edited.payload.json", func(p map[string]any) {
			repo := p["repository"].(map[string]any)
			repo["name"], repo["full_name"] = r, owner+"/"+r
		})
		if code := a.deliver("release", fmt.Sprintf("rl-%d", i), body, true); code != http.StatusOK {
			t.Fatalf("delivery for %s answered %d", r, code)
		}
	}
	a.settle()
	for _, r := range repos {
		var issues, prs int
		for _, is := range a.gh.Issues(owner, r) {
			if is.State == "open" {
				issues++
			}
		}
		for _, pr := range a.gh.PullRequests(owner, r) {
			if pr.State == "open" {
				prs++
			}
		}
		if issues != 1 || prs != 1 {
			t.Errorf("%s/%s: %d open issues, %d open PRs; want one each", owner, r, issues, prs)
		}
	}
	if a.gh.Refused() == 0 {
		t.Error("the fake refused nothing: the test proves nothing")
	}
	t.Logf("%d of %d requests refused", a.gh.Refused(), len(a.gh.Requests()))
}

// replaceRepo points the manifest's URLs at repository r.
func replaceRepo(src, r string) string {
	return strings.ReplaceAll(src, "/"+owner+"/"+name+"/", "/"+owner+"/"+r+"/")
}
