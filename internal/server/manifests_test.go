package server_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/repoconfig"
)

// These tests configure several manifests in one repository and drive
// the App end to end: signed deliveries through the real dispatcher,
// results read back from the fake GitHub.

// push delivers a push of sha to main that changed paths, and waits for
// the jobs it queued.
func (a *app) push(delivery, sha string, paths ...string) {
	a.t.Helper()
	body := a.payload("push.payload.json", func(p map[string]any) {
		p["ref"], p["before"], p["after"] = "refs/heads/main", strings.Repeat("1", 40), sha
		p["deleted"], p["created"], p["forced"] = false, false, false
		modified := make([]any, len(paths))
		for i, p := range paths {
			modified[i] = p
		}
		p["commits"] = []any{map[string]any{"id": sha, "distinct": true, "message": "change",
			"added": []any{}, "removed": []any{}, "modified": modified}}
		p["head_commit"] = p["commits"].([]any)[0]
		p["size"], p["distinct_size"] = 1, 1
	})
	if code := a.deliver("push", delivery, body, true); code != http.StatusOK {
		a.t.Fatalf("push delivery answered %d", code)
	}
	a.settle()
}

// release delivers a release event (the re-run of a release workflow) and
// waits for the jobs it queued.
func (a *app) release(delivery string) {
	a.t.Helper()
	if code := a.deliver("release", delivery, a.payload("release.edited.payload.json", nil), true); code != http.StatusOK {
		a.t.Fatalf("release delivery answered %d", code)
	}
	a.settle()
}

// TestMissingManifestFailsThePushCheck: a configuration listing two
// manifests, one of which does not exist, is pushed. The push's check
// fails with an annotation on the configuration's line that names the
// missing file, and the other manifest is still verified: its drift is
// annotated, and the tracking issue reports both.
func TestMissingManifestFailsThePushCheck(t *testing.T) {
	a := newApp(t)
	a.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2, Uploader: "octocat"})
	const config = "manifests:\n  - path: src/images/published.py\n  - path: pins/b.json\nverify: {mode: full}\n"
	sha := a.gh.SetFile(owner, name, "main", repoconfig.Path, config, "maintainer")
	a.push("m-1", sha, repoconfig.Path)

	runs := a.gh.CheckRuns(owner, name, sha)
	if len(runs) != 1 {
		t.Fatalf("%d check runs on the push, want 1: %+v", len(runs), runs)
	}
	run := runs[0]
	if run.Conclusion != "failure" {
		t.Errorf("conclusion %q, want failure", run.Conclusion)
	}
	type at struct {
		Path  string
		Line  int
		Level string
	}
	var got []at
	for _, an := range run.Output.Annotations {
		got = append(got, at{an.Path, an.StartLine, an.Level})
	}
	want := []at{{repoconfig.Path, 3, "failure"}, {manifestPth, 5, "failure"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("annotations %v, want %v (the missing manifest's entry, then the other's drift)", got, want)
	}
	for _, an := range run.Output.Annotations {
		if an.Path == repoconfig.Path && !strings.Contains(an.Message, "pins/b.json does not exist at "+sha[:7]) {
			t.Errorf("the configuration's annotation does not say what is wrong: %q", an.Message)
		}
	}
	if !strings.Contains(run.Output.Summary, "1 drift") || !strings.Contains(run.Output.Summary, "1 of 2 manifests could not be read") {
		t.Errorf("the summary does not count the drift and the unreadable manifest:\n%s", run.Output.Summary)
	}

	issues := a.openIssues()
	if len(issues) != 1 {
		t.Fatalf("%d open issues, want the tracking issue", len(issues))
	}
	for _, s := range []string{sum(kernelV2), manifestPth, "pins/b.json", "does not exist at"} {
		if !strings.Contains(issues[0].Body, s) {
			t.Errorf("the tracking issue lacks %q:\n%s", s, issues[0].Body)
		}
	}
}

// Three manifests in two formats: the Python module pins the kernel and
// the rootfs, tools.json a tool of another release, more.json the rootfs
// again (the same asset pinned in two files is downloaded once).
const (
	toolsTag  = "tools-1.0"
	toolsJSON = "pins/tools.json"
	moreJSON  = "pins/more.json"
)

var (
	toolV1 = bytes.Repeat([]byte("tool v1 "), 2000)
	toolV2 = bytes.Repeat([]byte("tool v2 "), 2000)
)

func toolsSource(a *app, toolSHA string) string {
	return `{
  "tools": [
    {"url": "` + a.gh.URL() + `/acme/images/releases/download/` + toolsTag + `/tool.tar.gz",
     "sha256": "` + toolSHA + `"}
  ]
}
`
}

func moreSource(a *app) string {
	return `{"rootfs": {"url": "` + a.gh.URL() + `/acme/images/releases/download/` + tag + `/rootfs.zst", "sha256": "` + sum(rootfs) + `"}}
`
}

// TestSeveralManifestsOneIssueOnePR: drift in two of three manifests gives
// one tracking issue listing both files and one fix PR changing both.
// Restoring one asset updates the issue; restoring both closes the issue
// and the PR.
func TestSeveralManifestsOneIssueOnePR(t *testing.T) {
	a := newApp(t)
	a.gh.AddRelease(owner, name, ghfake.Release{Tag: toolsTag, Assets: []ghfake.Asset{
		{Name: "tool.tar.gz", Content: toolV1, Uploader: "release-bot"}}})
	a.gh.SetFiles(owner, name, "main", map[string]string{
		repoconfig.Path: "manifests:\n  - path: " + manifestPth + "\n  - path: " + toolsJSON + "\n  - path: " + moreJSON + "\nverify: {mode: full}\n",
		toolsJSON:       toolsSource(a, sum(toolV1)),
		moreJSON:        moreSource(a),
	}, "maintainer")
	a.release("s-0")
	if n := len(a.openIssues()); n != 0 {
		t.Fatalf("%d issues before any drift", n)
	}

	a.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2, Uploader: "octocat"})
	a.gh.UploadAsset(owner, name, toolsTag, ghfake.Asset{Name: "tool.tar.gz", Content: toolV2, Uploader: "octocat"})
	a.release("s-1")
	issues, prs := a.openIssues(), a.openPRs()
	if len(issues) != 1 || len(prs) != 1 {
		t.Fatalf("after drift in two files: %d issues and %d PRs, want one each", len(issues), len(prs))
	}
	issue, pr := issues[0], prs[0]
	for _, s := range []string{manifestPth, toolsJSON, sum(kernelV2), sum(toolV2)} {
		if !strings.Contains(issue.Body, s) {
			t.Errorf("the issue lacks %q:\n%s", s, issue.Body)
		}
	}
	want := map[string]string{
		manifestPth: manifestSource(a.gh, sum(kernelV2)),
		toolsJSON:   toolsSource(a, sum(toolV2)),
		moreJSON:    moreSource(a),
	}
	for path, src := range want {
		if got, _ := a.gh.FileAt(owner, name, pr.Head, path); got != src {
			t.Errorf("%s on the fix PR's branch:\n%s\nwant:\n%s", path, got, src)
		}
	}

	// The kernel is uploaded again as it was: one file still drifts.
	a.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV1, Uploader: "release-bot"})
	a.release("s-2")
	is, _ := a.gh.Issue(owner, name, issue.Number)
	if is.State != "open" || strings.Contains(is.Body, sum(kernelV2)) || !strings.Contains(is.Body, sum(toolV2)) {
		t.Errorf("after restoring the kernel the issue is %s and still names the kernel's drift, or lost the tool's:\n%s", is.State, is.Body)
	}
	if len(a.openIssues()) != 1 || len(a.openPRs()) != 1 {
		t.Errorf("after restoring the kernel: %d issues, %d PRs; want the same one each", len(a.openIssues()), len(a.openPRs()))
	}
	if got, _ := a.gh.FileAt(owner, name, pr.Head, manifestPth); got != manifestSource(a.gh, sum(kernelV1)) {
		t.Errorf("the fix PR still changes %s:\n%s", manifestPth, got)
	}

	a.gh.UploadAsset(owner, name, toolsTag, ghfake.Asset{Name: "tool.tar.gz", Content: toolV1, Uploader: "release-bot"})
	a.release("s-3")
	is, _ = a.gh.Issue(owner, name, issue.Number)
	p, _ := a.gh.PullRequest(owner, name, pr.Number)
	if is.State != "closed" || p.State != "closed" {
		t.Errorf("after restoring both assets: issue %s, PR %s; want both closed", is.State, p.State)
	}
}

// TestInvalidConfigFoundBySweepOpensOneIssue: with no tracking issue
// open, a sweep that meets an invalid configuration opens an issue
// saying so; later sweeps do not open another, nor repeat themselves.
// Once the file is fixed, the next sweep closes it.
func TestInvalidConfigFoundBySweepOpensOneIssue(t *testing.T) {
	a := newApp(t, "sweep: {schedule: '@every 1s', spread: 0s}\n")
	a.gh.SetFile(owner, name, "main", repoconfig.Path, "manifests:\n  - path: "+manifestPth+"\nverify: {mode: fast}\n", "maintainer")
	runs := func() int { return a.gh.Count(http.MethodGet, "/repos/acme/images/branches/main") }

	waitFor(t, 30*time.Second, "an issue about the configuration", func() bool { return len(a.openIssues()) > 0 })
	first := runs()
	// Not settle: with a sweep every second the queue is seldom idle on a
	// busy machine. Two more runs have read the configuration since.
	waitFor(t, 30*time.Second, "two more sweeps", func() bool { return runs() >= first+2 })
	issues := a.openIssues()
	if len(issues) != 1 {
		t.Fatalf("%d open issues after several sweeps, want 1", len(issues))
	}
	is := issues[0]
	if is.Title != "pindrift cannot use .github/pindrift.yml" || !strings.Contains(is.Body, "verify.mode") {
		t.Errorf("issue %q does not say what is wrong:\n%s", is.Title, is.Body)
	}
	if cs := a.gh.Comments(owner, name, is.Number); len(cs) != 0 {
		t.Errorf("later sweeps commented %d times on the issue", len(cs))
	}

	a.gh.SetFile(owner, name, "main", repoconfig.Path, repoConfig, "maintainer")
	waitFor(t, 30*time.Second, "the issue to close", func() bool {
		got, _ := a.gh.Issue(owner, name, is.Number)
		return got.State == "closed"
	})
	closed := runs()
	waitFor(t, 30*time.Second, "another sweep", func() bool { return runs() >= closed+2 })
	if n := len(a.gh.Issues(owner, name)); n != 1 {
		t.Errorf("%d issues after the fix, want only the one closed", n)
	}
}
