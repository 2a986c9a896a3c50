package runner_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/repoconfig"
	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/runner/runnertest"
	"github.com/pindrift/pindrift/internal/verify"
)

// These tests drive the runner's decisions through the in-memory fake
// (runnertest); what reaches GitHub's API is tested against ghfake in
// the other files.

const (
	fakeHead   = "1111111111111111111111111111111111111111"
	fakePRHead = "2222222222222222222222222222222222222222"
)

var fakeAsset = []byte(strings.Repeat("firmware ", 8000)) // 72 KB

// fakeEnv is a repository on the fake whose manifest (file) pins the
// asset served on loopback.
type fakeEnv struct {
	gh  *runnertest.GitHub
	r   *runner.Runner
	url string
}

func newFakeEnv(t *testing.T) *fakeEnv {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/fw.bin" {
			http.NotFound(w, r)
			return
		}
		w.Write(fakeAsset)
	}))
	t.Cleanup(srv.Close)
	e := &fakeEnv{url: srv.URL + "/fw.bin"}
	e.gh = runnertest.New(owner, name, fakeHead, map[string]string{file: e.manifest(sum(fakeAsset))})
	e.gh.SetSettings(&runner.Settings{Manifests: []runner.Manifest{{Path: file}}, Mode: verify.ModeFull}, nil)
	e.r = runner.New(runner.Deps{
		Installation: e.gh.Installation,
		Verify:       verify.Options{AllowPrivateNetwork: true, Tries: 1, MaxTotalBytes: 1 << 20, BudgetName: "run budget"},
		UntrustedPR:  runner.Budget{Bytes: 16 << 10, Name: "budget for outsiders"},
		Now:          func() time.Time { return time.Date(2026, 6, 15, 3, 17, 0, 0, time.UTC) },
	})
	return e
}

// manifest pins the asset as sha, on line 3.
func (e *fakeEnv) manifest(sha string) string {
	return "MANIFEST = {\n    \"fw\": {\"url\": \"" + e.url + "\",\n" +
		"             \"sha256\": \"" + sha + "\"},\n}\n"
}

// checkSeen is what a test asserts of a check run.
type checkSeen struct {
	Conclusion  string
	Title       string
	ExternalID  string
	Annotations []string // path:line
}

func seen(runs []runnertest.CheckRun) []checkSeen {
	var out []checkSeen
	for _, c := range runs {
		s := checkSeen{Conclusion: c.Conclusion, Title: c.Output.Title, ExternalID: c.ExternalID}
		for _, a := range c.Output.Annotations {
			s.Annotations = append(s.Annotations, fmt.Sprintf("%s:%d", a.Path, a.Line))
		}
		out = append(out, s)
	}
	return out
}

var invalidConfig = &repoconfig.Error{File: repoconfig.Path,
	Problems: []repoconfig.Problem{{Line: 3, Column: 5, Key: "verify.mode", Message: "must be full, metadata or auto"}}}

func TestPushCheckDecisions(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		sha      string // pinned in the pushed manifest; "" keeps the right one
		src      string // replaces the manifest when set
		settings error
		paths    []string
		want     []checkSeen
	}{
		"pins match": {paths: []string{file},
			want: []checkSeen{{Conclusion: "success", Title: "All 1 pinned asset match their SHA-256"}}},
		"drift": {sha: strings.Repeat("0", 64), paths: []string{file},
			want: []checkSeen{{Conclusion: "failure", Title: "1 pinned asset no longer matches the live bytes", Annotations: []string{file + ":3"}}}},
		"manifest does not parse": {src: "MANIFEST = {\n", paths: []string{file},
			want: []checkSeen{{Conclusion: "failure", Title: "pindrift could not read its input", Annotations: []string{file + ":1"}}}},
		"invalid configuration": {settings: invalidConfig, paths: []string{repoconfig.Path},
			want: []checkSeen{{Conclusion: "failure", Title: "pindrift's configuration is invalid", Annotations: []string{repoconfig.Path + ":3"}}}},
		"unknown paths count as touching": {want: []checkSeen{{Conclusion: "success", Title: "All 1 pinned asset match their SHA-256"}}},
		"push touching neither":           {sha: strings.Repeat("0", 64), paths: []string{"README.md"}},
		"not configured":                  {settings: repoconfig.ErrNotConfigured, paths: []string{file}},
	}
	for label, tc := range tests {
		t.Run(label, func(t *testing.T) {
			t.Parallel()
			e := newFakeEnv(t)
			src := e.manifest(sum(fakeAsset))
			if tc.sha != "" {
				src = e.manifest(tc.sha)
			}
			if tc.src != "" {
				src = tc.src
			}
			e.gh.SetCommit(fakeHead, map[string]string{file: src})
			if tc.settings != nil {
				e.gh.SetSettings(nil, tc.settings)
			}
			_, err := e.r.VerifyRepo(context.Background(), runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name,
				Trigger: "push", PushSHA: fakeHead, Paths: tc.paths})
			if err != nil {
				t.Fatalf("VerifyRepo: %v", err)
			}
			got := seen(e.gh.CheckRuns(fakeHead))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("check runs on the pushed commit (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPullRequestCheckDecisions(t *testing.T) {
	t.Parallel()
	many := make([]runner.ChangedFile, runner.MaxChangedFiles)
	for i := range many {
		many[i] = runner.ChangedFile{Name: fmt.Sprintf("docs/%d.md", i)}
	}
	tests := map[string]struct {
		changed   []runner.ChangedFile
		settings  error
		author    string
		permError error
		want      []checkSeen
		// wantBudget: the check says the outsiders' budget stopped it.
		wantBudget bool
	}{
		"changes the manifest": {changed: []runner.ChangedFile{{Name: file}}, author: "maint",
			want: []checkSeen{{Conclusion: "success", Title: "All 1 pinned asset match their SHA-256", ExternalID: "pr:5"}}},
		"renames the manifest": {changed: []runner.ChangedFile{{Name: "elsewhere.py", PreviousName: file}}, author: "maint",
			want: []checkSeen{{Conclusion: "success", Title: "All 1 pinned asset match their SHA-256", ExternalID: "pr:5"}}},
		"changes only docs": {changed: []runner.ChangedFile{{Name: "README.md"}}, author: "maint"},
		"more files than GitHub lists": {changed: many, author: "maint",
			want: []checkSeen{{Conclusion: "success", Title: "All 1 pinned asset match their SHA-256", ExternalID: "pr:5"}}},
		"invalid configuration": {changed: []runner.ChangedFile{{Name: file}}, settings: invalidConfig, author: "maint",
			want: []checkSeen{{Conclusion: "failure", Title: "pindrift's configuration is invalid", ExternalID: "pr:5",
				Annotations: []string{repoconfig.Path + ":3"}}}},
		"not configured": {changed: []runner.ChangedFile{{Name: file}}, settings: repoconfig.ErrNotConfigured, author: "maint"},
		"outsider":       {changed: []runner.ChangedFile{{Name: file}}, author: "outsider", wantBudget: true},
		"author's permission unknown": {changed: []runner.ChangedFile{{Name: file}}, author: "maint",
			permError: errors.New("502 Bad Gateway"), wantBudget: true},
	}
	for label, tc := range tests {
		t.Run(label, func(t *testing.T) {
			t.Parallel()
			e := newFakeEnv(t)
			e.gh.SetCommit(fakePRHead, map[string]string{file: e.manifest(sum(fakeAsset)), "elsewhere.py": e.manifest(sum(fakeAsset))})
			e.gh.AddPullRequest(5, tc.author, fakeHead, fakePRHead, tc.changed)
			e.gh.SetPermission("maint", "write")
			e.gh.SetPermission("outsider", "read")
			if tc.permError != nil {
				e.gh.Fail("Permission", tc.permError)
			}
			if tc.settings != nil {
				e.gh.SetSettings(nil, tc.settings)
			}
			c, err := e.r.CheckPR(context.Background(), runner.PRRequest{InstallationID: 7, Owner: owner, Repo: name, Number: 5, HeadSHA: fakePRHead})
			if err != nil {
				t.Fatalf("CheckPR: %v", err)
			}
			runs := e.gh.CheckRuns(fakePRHead)
			if tc.wantBudget {
				if len(runs) != 1 || runs[0].Conclusion != "neutral" || !strings.Contains(c.Summary+c.Text, "budget for outsiders") {
					t.Errorf("check runs %+v, want one neutral naming the outsiders' budget:\n%s\n%s", seen(runs), c.Summary, c.Text)
				}
				return
			}
			if diff := cmp.Diff(tc.want, seen(runs)); diff != "" {
				t.Errorf("check runs on the PR head (-want +got):\n%s", diff)
			}
			if tc.want == nil && c.Conclusion != "" {
				t.Errorf("CheckPR returned %+v with no check posted", c)
			}
		})
	}
}

func TestRecheckNeedsWritePermission(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		permission string
		fail       error
		wantRun    bool
		wantErr    bool
	}{
		"admin":    {permission: "admin", wantRun: true},
		"maintain": {permission: "maintain", wantRun: true},
		"write":    {permission: "write", wantRun: true},
		"triage":   {permission: "triage"},
		"read":     {permission: "read"},
		"none":     {permission: "none"},
		"unknown":  {fail: errors.New("502 Bad Gateway"), wantErr: true},
	}
	for label, tc := range tests {
		t.Run(label, func(t *testing.T) {
			t.Parallel()
			e := newFakeEnv(t)
			e.gh.SetPermission("asker", tc.permission)
			if tc.fail != nil {
				e.gh.Fail("Permission", tc.fail)
			}
			out, err := e.r.VerifyRepo(context.Background(), runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name,
				Trigger: "recheck", RequireWrite: "asker"})
			if (err != nil) != tc.wantErr {
				t.Fatalf("VerifyRepo: %v, want error %v", err, tc.wantErr)
			}
			if ran := out.Commit != ""; ran != tc.wantRun {
				t.Errorf("recheck ran: %v, want %v (calls %v)", ran, tc.wantRun, e.gh.Calls())
			}
			if !tc.wantRun {
				if diff := cmp.Diff([]string{"Permission"}, e.gh.Calls()); diff != "" {
					t.Errorf("a refused recheck asked GitHub more than the permission (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestConfigErrorToldOnce: a run meeting an invalid configuration says so
// once, however many runs meet it: on the open tracking issue, or without
// one on an issue of its own. Once the configuration is valid again, that
// issue is closed with a comment and is no tracking issue any more.
func TestConfigErrorToldOnce(t *testing.T) {
	t.Parallel()
	for _, open := range []bool{true, false} {
		t.Run(fmt.Sprintf("open issue %v", open), func(t *testing.T) {
			t.Parallel()
			e := newFakeEnv(t)
			valid := &runner.Settings{Manifests: []runner.Manifest{{Path: file}}, Mode: verify.ModeFull}
			e.gh.SetSettings(nil, invalidConfig)
			tracking := 0
			if open {
				tracking = e.gh.TrackingIssues().Open("drift", "drift\n<!-- pindrift:tracking -->")
			}
			sweep := func() {
				t.Helper()
				if _, err := e.r.VerifyRepo(context.Background(), runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name,
					Trigger: "nightly sweep"}); err != nil {
					t.Fatalf("sweep: %v", err)
				}
			}
			sweep()
			sweep()
			if n := len(e.gh.CheckRuns(fakeHead)); n != 0 {
				t.Errorf("%d check runs from a sweep", n)
			}
			all := e.gh.TrackingIssues().All()
			if open {
				cs := e.gh.Comments(tracking)
				if len(all) != 1 || len(cs) != 1 || !strings.Contains(cs[0], "verify.mode") || !strings.Contains(cs[0], "<!-- pindrift:config-error:") {
					t.Errorf("%d issues; comments on the tracking issue: %q, want one explaining the configuration", len(all), cs)
				}
				return
			}
			if len(all) != 1 || !all[0].Open || !strings.Contains(all[0].Body, "verify.mode") {
				t.Fatalf("issues after two sweeps: %+v, want one open issue explaining the configuration", all)
			}
			if title := e.gh.TrackingIssues().Title(all[0].Number); title != "pindrift cannot use .github/pindrift.yml" {
				t.Errorf("issue titled %q", title)
			}
			if cs := e.gh.Comments(all[0].Number); len(cs) != 0 {
				t.Errorf("comments on the new issue: %q, want none (its body says it)", cs)
			}

			e.gh.SetSettings(valid, nil)
			sweep()
			is, _ := e.gh.TrackingIssues().Get(all[0].Number)
			cs := e.gh.Comments(is.Number)
			if is.Open || len(cs) != 1 || !strings.Contains(cs[0], "valid again") {
				t.Errorf("after the fix: issue open %v, comments %q; want it closed with one comment", is.Open, cs)
			}
			ex, err := e.gh.TrackingIssues().TrackingIssues(context.Background(), issues.Repo{Owner: owner, Name: name})
			if err != nil || len(ex.Open) != 0 || ex.LastClosed != nil {
				t.Errorf("after the fix the issue is still a tracking issue: %+v, %v", ex, err)
			}
			sweep()
			if n := len(e.gh.TrackingIssues().All()); n != 1 || len(e.gh.Comments(is.Number)) != 1 {
				t.Errorf("a sweep after the fix: %d issues, comments %q", n, e.gh.Comments(is.Number))
			}
		})
	}
}

// TestAnnotationsInBatches: GitHub takes 50 annotations a request, so 120
// go in one create and two updates.
func TestAnnotationsInBatches(t *testing.T) {
	t.Parallel()
	e := newFakeEnv(t)
	var b strings.Builder
	b.WriteString("MANIFEST = {\n")
	for i := 0; i < 120; i++ {
		fmt.Fprintf(&b, "    \"fw%d\": {\"url\": \"%s\", \"sha256\": \"%s\"},\n", i, e.url, strings.Repeat("0", 64))
	}
	b.WriteString("}\n")
	e.gh.SetCommit(fakeHead, map[string]string{file: b.String()})
	if _, err := e.r.VerifyRepo(context.Background(), runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name,
		Trigger: "push", PushSHA: fakeHead, Paths: []string{file}}); err != nil {
		t.Fatal(err)
	}
	runs := e.gh.CheckRuns(fakeHead)
	if len(runs) != 1 || runs[0].Conclusion != "failure" || runs[0].Requests != 3 || len(runs[0].Output.Annotations) != 120 {
		t.Fatalf("check runs: %d; want one failure with 120 annotations in 3 requests, got %+v", len(runs), seen(runs))
	}
}
