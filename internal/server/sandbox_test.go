package server_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/sandbox"
)

// sandboxLimits keep the hostile cases quick: a CPU runaway meets its
// limit after 1 s.
const sandboxLimits = "sandbox: {cpu_seconds: 1, timeout: 20s, max_children: 2}\n"

const limitsTitle = "The manifest could not be evaluated within pindrift's limits"

func hostile(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "pin", "python", "testdata", "hostile", file))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// openForkPR puts src at the manifest's path on a new branch and delivers the
// pull_request event of a PR from a fork's branch, returning its head.
func (a *app) openForkPR(branch, src, delivery string) string {
	a.t.Helper()
	a.gh.CreateBranch(owner, name, branch, "main")
	head := a.gh.SetFile(owner, name, branch, manifestPth, src, "outsider")
	pr := a.gh.AddPullRequest(owner, name, ghfake.PullRequest{Title: "Update pins", Head: branch, Base: "main", Author: "outsider"})
	ev := a.payload("release.edited.payload.json", func(p map[string]any) {
		delete(p, "release")
		delete(p, "changes")
		fork := map[string]any{"name": name, "full_name": "outsider/" + name, "fork": true,
			"owner": map[string]any{"login": "outsider"}}
		p["action"], p["number"] = "opened", pr.Number
		p["pull_request"] = map[string]any{"number": pr.Number, "state": "open",
			"head": map[string]any{"sha": head, "ref": branch, "repo": fork},
			"base": map[string]any{"ref": "main", "repo": p["repository"]}}
	})
	if code := a.deliver("pull_request", delivery, ev, true); code != http.StatusOK {
		a.t.Fatalf("pull_request delivery answered %d", code)
	}
	return head
}

// TestHostileManifestsCostOneCheck: pull requests from a fork whose
// manifests crash the evaluator or run away with the CPU get a failing
// check saying so; the server stays up, and another repository's drift is
// still found and reported afterwards.
func TestHostileManifestsCostOneCheck(t *testing.T) {
	a := newApp(t, sandboxLimits)
	other := addOtherRepo(a)

	cases := []struct {
		branch, src string
		// summary is what the check's summary must say when the sandbox
		// stopped the evaluation; exact is false for real manifests the
		// interpreter may learn to stop by itself (a budget error, also a
		// failing check).
		summary string
		exact   bool
	}{
		{"crash", sandbox.FaultPrefix + "stack\n", "its evaluation recursed past the 64 MiB stack limit", true},
		{"cpu", hostile(t, "sbx_cpu_find.py"), "it used more than 1 s of CPU time", false},
	}
	heads := map[string]string{}
	for i, c := range cases {
		heads[c.branch] = a.openForkPR(c.branch, c.src, "h-"+c.branch+string(rune('0'+i)))
	}
	a.settle()
	for _, c := range cases {
		runs := a.gh.CheckRuns(owner, name, heads[c.branch])
		if len(runs) != 1 || runs[0].Conclusion != "failure" {
			t.Errorf("%s: check runs %+v; want one failure", c.branch, runs)
			continue
		}
		out := runs[0].Output
		sandboxed := out.Title == limitsTitle
		if (c.exact && !sandboxed) || (sandboxed && !strings.Contains(out.Summary, manifestPth+" could not be evaluated within pindrift's limits: "+c.summary)) {
			t.Errorf("%s: check output %q / %q; want %q saying %q", c.branch, out.Title, out.Summary, limitsTitle, c.summary)
		}
		if strings.Contains(out.Summary+out.Text, "goroutine") {
			t.Errorf("%s: the check shows the runtime's trace: %q", c.branch, out.Summary+out.Text)
		}
		t.Logf("%s: %s: %s", c.branch, out.Title, out.Summary)
	}

	// A push of a crashing manifest to the default branch gets its
	// failing check too, and the tracking issue says the default branch's
	// manifest could not be evaluated (a sweep would say the same), without
	// the runtime's trace.
	pushed := a.gh.SetFile(owner, name, "main", manifestPth, sandbox.FaultPrefix+"stack\n", "maintainer")
	a.deliver("push", "h-push", a.pushPayload(pushed), true)
	a.settle()
	if runs := a.gh.CheckRuns(owner, name, pushed); len(runs) != 1 || runs[0].Conclusion != "failure" || runs[0].Output.Title != limitsTitle {
		t.Errorf("check runs on the pushed crash: %+v", runs)
	}
	if is := a.gh.Issues(owner, name); len(is) != 1 || !strings.Contains(is[0].Body, "within pindrift's limits") ||
		strings.Contains(is[0].Body, "goroutine") {
		t.Errorf("issues after the crashing manifest: %+v; want one saying it could not be evaluated, with no trace", is)
	}

	// The same server still works for everyone else.
	resp, err := http.Get(a.url + "/healthz")
	if err != nil {
		t.Fatalf("the server is down after the hostile manifests: %v", err)
	}
	resp.Body.Close()
	other.reupload(a)
	if is := a.gh.Issues(owner, other.name); len(is) != 1 || !strings.Contains(is[0].Body, sum(otherKernelV2)) {
		t.Fatalf("drift in %s/%s after the hostile manifests: issues %+v; want one naming the live digest", owner, other.name, is)
	}
}

func (a *app) pushPayload(sha string) []byte {
	return a.payload("push.payload.json", func(p map[string]any) {
		p["ref"], p["before"], p["after"] = "refs/heads/main", strings.Repeat("1", 40), sha
		p["deleted"], p["created"], p["forced"] = false, false, false
		p["commits"] = []any{map[string]any{"id": sha, "distinct": true, "message": "Update pins",
			"added": []any{}, "removed": []any{}, "modified": []any{manifestPth}}}
		p["head_commit"] = p["commits"].([]any)[0]
		p["size"], p["distinct_size"] = 1, 1
	})
}

var (
	otherKernelV1 = []byte(strings.Repeat("other kernel v1 ", 1000))
	otherKernelV2 = []byte(strings.Repeat("other kernel v2 ", 1000))
)

type otherRepo struct{ name string }

// addOtherRepo adds acme/kernels, in the same installation, pinning one
// asset of its own release.
func addOtherRepo(a *app) otherRepo {
	r := otherRepo{name: "kernels"}
	a.gh.AddRepo(ghfake.Repo{Owner: owner, Name: r.name, InstallationID: instID})
	a.gh.AddRelease(owner, r.name, ghfake.Release{Tag: tag, Assets: []ghfake.Asset{
		{Name: "vmlinux", Content: otherKernelV1, Uploader: "release-bot"}}})
	src := `BASE = "` + a.gh.URL() + `/acme/` + r.name + `/releases/download/` + tag + `"
MANIFEST = {"kernel": {"url": f"{BASE}/vmlinux", "sha256": "` + sum(otherKernelV1) + `"}}
`
	a.gh.SetFiles(owner, r.name, "main", map[string]string{manifestPth: src, ".github/pindrift.yml": repoConfig}, "maintainer")
	return r
}

// reupload changes the other repository's asset and delivers the release
// event, as GitHub would.
func (r otherRepo) reupload(a *app) {
	a.t.Helper()
	a.gh.UploadAsset(owner, r.name, tag, ghfake.Asset{Name: "vmlinux", Content: otherKernelV2, Uploader: "octocat"})
	ev := a.payload("release.edited.payload.json", func(p map[string]any) {
		repo := p["repository"].(map[string]any)
		repo["name"], repo["full_name"] = r.name, owner+"/"+r.name
	})
	if code := a.deliver("release", "h-other", ev, true); code != http.StatusOK {
		a.t.Fatalf("release delivery answered %d", code)
	}
	a.settle()
}

// corpusHeader is a hostile manifest's first line (see
// internal/pin/python/testdata/hostile/README.md): how the evaluator must end.
var corpusHeader = regexp.MustCompile(`^# expect: (ok|pins \d+|unresolved|invalid|syntax|budget|toolarge)(?: line (\d+))?`)

// TestHostileCorpusAsPullRequests sends every manifest of the hostile
// corpus as a pull request from a fork's author without write access:
// those the evaluator must refuse get a failing check that names the line
// (or, when the child is stopped first, says which limit), the others a
// check of their own; no run crashes the server, which then still reports
// another repository's drift.
func TestHostileCorpusAsPullRequests(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "pin", "python", "testdata", "hostile", "*.py"))
	if err != nil || len(paths) < 40 {
		t.Fatalf("hostile corpus: %d files, %v", len(paths), err)
	}
	a := newApp(t, "sandbox: {cpu_seconds: 5, timeout: 60s, max_children: 2}\n")
	other := addOtherRepo(a)
	type sent struct {
		file, kind, line, head string
	}
	var all []sent
	for i, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(strings.TrimPrefix(string(src), "\ufeff"), "\n")
		m := corpusHeader.FindStringSubmatch(first)
		if m == nil {
			t.Fatalf("%s: first line %q is not an expectation", p, first)
		}
		branch := fmt.Sprintf("hostile-%d", i)
		all = append(all, sent{file: filepath.Base(p), kind: m[1], line: m[2], head: a.openForkPR(branch, string(src), "c-"+branch)})
	}
	a.settleWithin(5 * time.Minute) // about 60 evaluations, slow under the race detector
	for _, s := range all {
		runs := a.gh.CheckRuns(owner, name, s.head)
		if len(runs) != 1 {
			t.Errorf("%s: %d check runs; want one", s.file, len(runs))
			continue
		}
		out := runs[0].Output
		switch s.kind {
		case "syntax", "budget", "toolarge":
			if runs[0].Conclusion != "failure" {
				t.Errorf("%s: conclusion %q; want failure", s.file, runs[0].Conclusion)
				continue
			}
			if out.Title == limitsTitle && s.kind == "budget" {
				continue // the child met its CPU or memory limit first: also said
			}
			if s.line != "" && !annotates(out.Annotations, s.line) {
				t.Errorf("%s: no annotation at line %s: %q / %+v", s.file, s.line, out.Summary, out.Annotations)
			}
		default:
			// The evaluator finishes these; under the race detector a slow
			// one may meet the child's CPU limit first, but none may crash
			// the evaluator.
			if out.Title == limitsTitle && (strings.Contains(out.Summary, "stack") || strings.Contains(out.Summary, "evaluator failed")) {
				t.Errorf("%s: the evaluator crashed: %s", s.file, out.Summary)
			}
		}
	}
	other.reupload(a)
	if is := a.gh.Issues(owner, other.name); len(is) != 1 {
		t.Fatalf("drift in %s/%s after the hostile corpus: %d issues; want one", owner, other.name, len(is))
	}
}

func annotates(anns []ghfake.Annotation, line string) bool {
	for _, an := range anns {
		if fmt.Sprint(an.StartLine) == line {
			return true
		}
	}
	return false
}
