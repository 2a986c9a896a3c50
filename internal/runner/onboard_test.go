package runner_test

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/onboard"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/repoconfig"
	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/runner/runnertest"
)

const (
	onboardHead = "c0ffee0000000000000000000000000000000000"
	pinsJSON    = `{"assets": [{"url": "https://example.com/a.tar.gz", "sha256": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}]}`
)

// onboardEnv is an unconfigured repository holding deps/sources.json,
// which pins one asset, and README.md; extracts counts the evaluations,
// which must all go through Deps.Extract (the App's sandbox).
type onboardEnv struct {
	gh       *runnertest.GitHub
	r        *runner.Runner
	extracts atomic.Int32
}

func newOnboardEnv(t *testing.T, files map[string]string) *onboardEnv {
	t.Helper()
	if files == nil {
		files = map[string]string{"deps/sources.json": pinsJSON, "README.md": "# images\n"}
	}
	e := &onboardEnv{gh: runnertest.New(owner, name, onboardHead, files)}
	e.r = runner.New(runner.Deps{
		Installation: e.gh.Installation,
		Extract: func(ctx context.Context, file string, src []byte, opts pin.Options) (*pin.Result, error) {
			e.extracts.Add(1)
			return extract.File(ctx, file, src, opts)
		},
	})
	return e
}

func (e *onboardEnv) run(t *testing.T, j runner.VerifyRequest) {
	t.Helper()
	j.InstallationID, j.Owner, j.Repo = 7, owner, name
	if _, err := e.r.VerifyRepo(context.Background(), j); err != nil {
		t.Fatalf("VerifyRepo: %v", err)
	}
}

// asked is "/pindrift onboard" by octocat on issue 3.
var asked = runner.VerifyRequest{Trigger: onboard.Command + " by @octocat on #3", RequireWrite: "octocat", Issue: 3, Onboard: true}

func TestOnboardingOpensOnePR(t *testing.T) {
	t.Parallel()
	e := newOnboardEnv(t, nil)
	e.run(t, runner.VerifyRequest{Trigger: "installation created"})

	pushes := e.gh.Onboarding().Pushes()
	if len(pushes) != 1 {
		t.Fatalf("%d pushes, want 1", len(pushes))
	}
	p := pushes[0]
	if p.Branch != onboard.Branch || p.Base != onboardHead || len(p.Files) != 1 || p.Files[0].Path != repoconfig.Path {
		t.Fatalf("push = %+v on %s at %s; want %s alone on %s at %s", p.Files, p.Branch, p.Base, repoconfig.Path, onboard.Branch, onboardHead)
	}
	content := p.Files[0].Content
	cfg, err := repoconfig.Parse(repoconfig.Path, content)
	if err != nil {
		t.Fatalf("the proposed configuration does not parse: %v\n%s", err, content)
	}
	var paths []string
	for _, m := range cfg.Manifests {
		paths = append(paths, m.Path)
	}
	if diff := cmp.Diff([]string{"deps/sources.json"}, paths); diff != "" {
		t.Errorf("configured manifests (-want +got):\n%s", diff)
	}
	prs := e.gh.Onboarding().PRs()
	if len(prs) != 1 || !prs[0].Open || !strings.Contains(prs[0].Body, "`deps/sources.json` | JSON | 1 |") {
		t.Fatalf("PRs = %+v; want one open PR listing deps/sources.json with 1 pin", prs)
	}
	if e.extracts.Load() == 0 {
		t.Error("discovery did not evaluate candidates through Deps.Extract")
	}
	// Nothing is verified or reported before the configuration is merged.
	for _, c := range e.gh.Calls() {
		if c == "Releases" || c == "CreateCheckRun" || strings.HasPrefix(c, "Issue") {
			t.Errorf("onboarding run called %s", c)
		}
	}

	// Again (a second installation event, a sweep): no second PR, no push.
	e.run(t, runner.VerifyRequest{Trigger: "nightly sweep"})
	if n := len(e.gh.Onboarding().PRs()); n != 1 {
		t.Errorf("%d onboarding PRs after a second run, want 1", n)
	}
	if n := len(e.gh.Onboarding().Pushes()); n != 1 {
		t.Errorf("%d pushes after a second run, want 1 (the branch already holds the configuration)", n)
	}
}

// TestOnboardingDeclined: a PR closed unmerged costs the repository one
// request a run, and a writer's "/pindrift onboard" opens a new PR.
func TestOnboardingDeclined(t *testing.T) {
	t.Parallel()
	e := newOnboardEnv(t, nil)
	e.gh.Onboarding().AddPR(onboard.PR{Number: 4})
	e.run(t, runner.VerifyRequest{Trigger: "nightly sweep"})
	want := []string{"Repository", "BranchHead", "Settings", "OnboardPullRequests"}
	if diff := cmp.Diff(want, e.gh.Calls()); diff != "" {
		t.Errorf("calls of a declined repository's run (-want +got):\n%s", diff)
	}

	e.gh.SetPermission("octocat", "write")
	e.run(t, asked)
	prs := e.gh.Onboarding().PRs()
	if len(prs) != 2 || !prs[0].Open {
		t.Fatalf("PRs = %+v; want a new open PR besides the declined one", prs)
	}
	if diff := cmp.Diff([]string{onboard.Announcement(prs[0].Number)}, e.gh.Comments(3)); diff != "" {
		t.Errorf("answer on #3 (-want +got):\n%s", diff)
	}
}

func TestOnboardingNotDone(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		files      map[string]string
		settings   error
		permission string
		j          runner.VerifyRequest
		// wantReply is a substring of the one reply on #3; "" for none.
		wantReply string
		// quiet runs ask GitHub nothing about onboarding.
		quiet bool
	}{
		"a push to an unconfigured repository":  {j: runner.VerifyRequest{Trigger: "push", PushSHA: onboardHead}, quiet: true},
		"nothing found":                         {files: map[string]string{"README.md": "no pins"}, j: runner.VerifyRequest{Trigger: "installation created"}},
		"nothing found, asked":                  {files: map[string]string{"README.md": "no pins"}, permission: "admin", j: asked, wantReply: "opens no pull request"},
		"off for the owner":                     {settings: repoconfig.ErrOnboardingOff, j: runner.VerifyRequest{Trigger: "installation created"}, quiet: true},
		"asked by someone without write access": {permission: "read", j: asked, quiet: true},
		"asked on a configured repository": {settings: &repoconfig.Error{File: repoconfig.Path}, permission: "write", j: asked,
			wantReply: "already has a pindrift configuration"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newOnboardEnv(t, tc.files)
			if tc.settings != nil {
				e.gh.SetSettings(nil, tc.settings)
			}
			if tc.permission != "" {
				e.gh.SetPermission("octocat", tc.permission)
			}
			e.run(t, tc.j)
			if n := len(e.gh.Onboarding().PRs()); n != 0 {
				t.Errorf("%d onboarding PRs opened, want none", n)
			}
			if n := len(e.gh.Onboarding().Pushes()); n != 0 {
				t.Errorf("%d pushes, want none", n)
			}
			replies := e.gh.Comments(3)
			switch {
			case tc.wantReply == "" && len(replies) > 0:
				t.Errorf("replies %q, want none", replies)
			case tc.wantReply != "" && (len(replies) != 1 || !strings.Contains(replies[0], tc.wantReply)):
				t.Errorf("replies %q, want one saying %q", replies, tc.wantReply)
			}
			for _, c := range e.gh.Calls() {
				if tc.quiet && (strings.HasPrefix(c, "Onboard") || c == "Tree") {
					t.Errorf("called %s", c)
				}
			}
			if slices.Contains(e.gh.Calls(), "Releases") {
				t.Error("the run verified a repository being onboarded")
			}
		})
	}
}
