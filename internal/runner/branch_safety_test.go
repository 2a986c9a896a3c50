package runner_test

import (
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/verify"
)

// TestBranchTheAppDidNotMakeIsLeftAlone: fix_pr.branch names a branch
// people made ("lts"), behind the default branch or with their own
// commits. Through a drift run and a clean run the App neither pushes to
// it nor deletes it, and the tracking issue says why there is no fix PR.
func TestBranchTheAppDidNotMakeIsLeftAlone(t *testing.T) {
	for caseName, human := range map[string]func(e *env){
		// Cut from main and never committed to: nothing on it is the
		// App's, though nothing on it is anyone else's either.
		"cut from main": func(e *env) { e.gh.CreateBranch(owner, name, "lts", "main") },
		"behind main": func(e *env) {
			e.gh.CreateBranch(owner, name, "lts", "main")
			e.gh.SetFile(owner, name, "main", "NEWS.md", "moved on\n", "maintainer")
		},
		"with a person's commit": func(e *env) {
			e.gh.CreateBranch(owner, name, "lts", "main")
			e.gh.SetFile(owner, name, "lts", "LTS.md", "supported until 2030\n", "maintainer")
		},
	} {
		t.Run(caseName, func(t *testing.T) {
			e := newEnv(t, verify.ModeFull)
			e.settings = func() (*runner.Settings, error) {
				return &runner.Settings{Manifests: []runner.Manifest{{Path: file}}, Mode: verify.ModeFull,
					PR: fixpr.Config{Enabled: true, Branch: "lts"}}, nil
			}
			human(e)
			lts, _ := e.gh.Ref(owner, name, "heads/lts")

			// Clean: nothing to fix, and the branch is not the App's to tidy.
			e.run()
			if got, ok := e.gh.Ref(owner, name, "heads/lts"); !ok || got != lts {
				t.Fatalf("after a clean run refs/heads/lts is %q (exists %v), want %s untouched", got, ok, lts)
			}

			// Drift: the fix would go to lts, which is refused.
			e.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2, Uploader: "octocat"})
			out := e.run()
			if got, ok := e.gh.Ref(owner, name, "heads/lts"); !ok || got != lts {
				t.Fatalf("after a drift run refs/heads/lts is %q (exists %v), want %s untouched", got, ok, lts)
			}
			if out.Remedy.PR != 0 || len(e.gh.PullRequests(owner, name)) != 0 {
				t.Errorf("a fix PR was opened from lts: %+v", out.Remedy)
			}
			is, ok := e.gh.Issue(owner, name, out.Remedy.Issue)
			if !ok {
				t.Fatalf("no tracking issue: %+v", out.Remedy)
			}
			for _, want := range []string{"No fix PR was opened", "`lts`", "not made by pindrift", "fix_pr.branch"} {
				if !strings.Contains(is.Body, want) {
					t.Errorf("the tracking issue does not say %q:\n%s", want, is.Body)
				}
			}

			// Clean again: the issue closes, the branch stays.
			e.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV1, Uploader: "octocat"})
			e.run()
			if got, ok := e.gh.Ref(owner, name, "heads/lts"); !ok || got != lts {
				t.Fatalf("after the drift cleared refs/heads/lts is %q (exists %v), want %s untouched", got, ok, lts)
			}
			for _, w := range e.gh.Requests() {
				if strings.Contains(w.Path, "refs/heads/lts") && w.Method != "GET" {
					t.Errorf("the App wrote to lts: %s %s", w.Method, w.Path)
				}
			}
		})
	}
}
