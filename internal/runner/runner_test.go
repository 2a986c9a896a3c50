package runner_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/repoconfig"
	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/runner/ghrunner"
	"github.com/pindrift/pindrift/internal/verify"
)

const (
	owner, name = "acme", "images"
	file        = "src/images/published.py"
	tag         = "images-2026.06.14.0"
)

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

var (
	kernelV1 = []byte(strings.Repeat("kernel v1 ", 5000))
	kernelV2 = []byte(strings.Repeat("kernel v2 ", 5000))
	rootfs   = []byte(strings.Repeat("rootfs ", 7000))
)

type env struct {
	t        *testing.T
	gh       *ghfake.Server
	r        *runner.Runner
	src      string
	settings func() (*runner.Settings, error)
}

// newEnv puts a repository with a release and a manifest pinning its two
// assets on the fake GitHub, whose download URLs are served on loopback.
func newEnv(t *testing.T, mode verify.Mode) *env {
	t.Helper()
	gh := ghfake.New(t)
	gh.AddRepo(ghfake.Repo{Owner: owner, Name: name, InstallationID: 7})
	gh.AddRelease(owner, name, ghfake.Release{Tag: tag, Assets: []ghfake.Asset{
		{Name: "vmlinux", Content: kernelV1, Uploader: "release-bot"},
		{Name: "rootfs.zst", Content: rootfs, Uploader: "release-bot"},
	}})
	src := `import os
BASE = os.environ.get("MIRROR") or "` + gh.URL() + `/acme/images/releases/download"
TAG = "` + tag + `"
MANIFEST = {
    "codex": {
        "kernel_url": f"{BASE}/{TAG}/vmlinux",
        "kernel_sha256": "` + sum(kernelV1) + `",
        "rootfs_url": f"{BASE}/{TAG}/rootfs.zst",
        "rootfs_sha256": "` + sum(rootfs) + `",
    },
}
`
	gh.SetFile(owner, name, "main", file, src, "maintainer")
	e := &env{t: t, gh: gh, src: src}
	e.settings = func() (*runner.Settings, error) {
		return &runner.Settings{Manifests: []runner.Manifest{{Path: file}}, Mode: mode, PR: fixpr.Config{Enabled: true}}, nil
	}
	e.r = runner.New(runner.Deps{
		Installation: ghrunner.Installations(func(ctx context.Context, id int64) (*github.Client, error) {
			return gh.Client(), nil
		}, ghrunner.Options{AppLogin: gh.AppLogin(), WebURL: gh.URL(),
			Settings: func(ctx context.Context, _ *github.Client, o, n, ref string) (*runner.Settings, error) {
				if o != owner || n != name {
					return nil, repoconfig.ErrNotConfigured
				}
				return e.settings()
			}}),
		WebURL: gh.URL(),
		Verify: verify.Options{AllowPrivateNetwork: true, Tries: 1},
		Now:    func() time.Time { return time.Date(2026, 6, 15, 3, 17, 0, 0, time.UTC) },
	})
	return e
}

func (e *env) run() runner.Outcome {
	e.t.Helper()
	out, err := e.r.VerifyRepo(context.Background(), runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name, Trigger: "release " + tag + " edited"})
	if err != nil {
		e.t.Fatalf("VerifyRepo: %v", err)
	}
	return out
}

func TestReuploadedAssetOpensIssueAndPR(t *testing.T) {
	for _, mode := range []verify.Mode{verify.ModeFull, verify.ModeMetadata} {
		t.Run(string(mode), func(t *testing.T) {
			e := newEnv(t, mode)
			if out := e.run(); out.Summary.OK != 2 || out.Remedy.Issue != 0 {
				t.Fatalf("before the re-upload: %+v", out)
			}

			// The release workflow is re-run and replaces the kernel.
			e.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2, Uploader: "octocat"})
			out := e.run()
			if out.Summary.Drift != 1 || out.Remedy.Issue == 0 || out.Remedy.PR == 0 {
				t.Fatalf("after the re-upload: %+v", out)
			}
			is, _ := e.gh.Issue(owner, name, out.Remedy.Issue)
			for _, want := range []string{sum(kernelV1), sum(kernelV2), "src/images/published.py#L7", "octocat", "/releases/tag/" + tag} {
				if !strings.Contains(is.Body, want) {
					t.Errorf("issue body lacks %q:\n%s", want, is.Body)
				}
			}
			fixed, _ := e.gh.FileAt(owner, name, "heads/"+fixpr.DefaultBranch, file)
			if !strings.Contains(fixed, sum(kernelV2)) || strings.Contains(fixed, sum(kernelV1)) {
				t.Errorf("fix branch does not pin the new kernel:\n%s", fixed)
			}
			res, err := extract.File(context.Background(), file, []byte(fixed), pin.Options{})
			if err != nil || len(res.Pins) != 2 {
				t.Fatalf("fixed manifest: %v %+v", err, res)
			}

			e.gh.Reset()
			e.run()
			for _, w := range e.gh.Writes() {
				t.Errorf("a repeat run wrote %s %s", w.Method, w.Path)
			}

			// The original kernel is restored: everything closes.
			e.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV1, Uploader: "octocat"})
			out = e.run()
			is, _ = e.gh.Issue(owner, name, is.Number)
			if out.Summary.Drift != 0 || is.State != "closed" || len(e.gh.PullRequests(owner, name)) != 1 ||
				e.gh.PullRequests(owner, name)[0].State != "closed" {
				t.Errorf("after restoring: summary %+v, issue %s", out.Summary, is.State)
			}
		})
	}
}

func TestUnconfiguredRepositoryIsLeftAlone(t *testing.T) {
	e := newEnv(t, verify.ModeFull)
	e.gh.AddRepo(ghfake.Repo{Owner: "other", Name: "repo", InstallationID: 7})
	e.gh.SetFile("other", "repo", "main", "README.md", "hello\n", "someone")
	e.gh.Reset()
	if _, err := e.r.VerifyRepo(context.Background(), runner.VerifyRequest{InstallationID: 7, Owner: "other", Repo: "repo", Trigger: "nightly sweep"}); err != nil {
		t.Fatal(err)
	}
	if w := e.gh.Writes(); len(w) != 0 {
		t.Errorf("an unconfigured repository got writes: %+v", w)
	}
}

// TestPullRequestCheck: a PR that pins a wrong SHA gets a failing check
// with an annotation on that line; the push that merges the right SHA gets
// a success check. No issue or PR is opened for pull requests.
func TestPullRequestCheck(t *testing.T) {
	e := newEnv(t, verify.ModeFull)
	wrong := strings.Replace(e.src, sum(rootfs), strings.Repeat("0", 64), 1)
	e.gh.CreateBranch(owner, name, "bump", "main")
	head := e.gh.SetFile(owner, name, "bump", file, wrong, "contributor")
	pr := e.gh.AddPullRequest(owner, name, ghfake.PullRequest{Title: "Bump", Head: "bump", Base: "main", Author: "contributor"})

	c, err := e.r.CheckPR(context.Background(), runner.PRRequest{InstallationID: 7, Owner: owner, Repo: name, Number: pr.Number, HeadSHA: head})
	if err != nil {
		t.Fatal(err)
	}
	runs := e.gh.CheckRuns(owner, name, head)
	if len(runs) != 1 || runs[0].Name != "pindrift" || runs[0].Conclusion != "failure" || runs[0].ExternalID != fmt.Sprintf("pr:%d", pr.Number) {
		t.Fatalf("check runs on the PR head: %+v (returned %+v)", runs, c)
	}
	anns := runs[0].Output.Annotations
	if len(anns) != 1 || anns[0].Path != file || anns[0].StartLine != 9 || !strings.Contains(anns[0].Message, sum(rootfs)) {
		t.Errorf("annotations %+v, want one on %s:9 naming the live digest", anns, file)
	}
	if !strings.Contains(runs[0].Output.Text, strings.Repeat("0", 64)) {
		t.Errorf("check text lacks the diff:\n%s", runs[0].Output.Text)
	}
	if n := len(e.gh.Issues(owner, name)); n != 0 {
		t.Errorf("%d issues opened for a pull request", n)
	}

	// A PR that does not touch the manifest gets no check.
	e.gh.CreateBranch(owner, name, "docs", "main")
	docsHead := e.gh.SetFile(owner, name, "docs", "README.md", "docs\n", "contributor")
	docs := e.gh.AddPullRequest(owner, name, ghfake.PullRequest{Title: "Docs", Head: "docs", Base: "main", Author: "contributor"})
	if _, err := e.r.CheckPR(context.Background(), runner.PRRequest{InstallationID: 7, Owner: owner, Repo: name, Number: docs.Number, HeadSHA: docsHead}); err != nil {
		t.Fatal(err)
	}
	if runs := e.gh.CheckRuns(owner, name, docsHead); len(runs) != 0 {
		t.Errorf("a PR not touching the manifest got checks: %+v", runs)
	}
}

func TestPushCheck(t *testing.T) {
	e := newEnv(t, verify.ModeFull)
	sha := e.gh.SetFile(owner, name, "main", file, e.src+"# touched\n", "maintainer")
	if _, err := e.r.VerifyRepo(context.Background(), runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name,
		Trigger: "push", PushSHA: sha, Paths: []string{file}}); err != nil {
		t.Fatal(err)
	}
	if runs := e.gh.CheckRuns(owner, name, sha); len(runs) != 1 || runs[0].Conclusion != "success" {
		t.Fatalf("check runs on the pushed commit: %+v", runs)
	}
	other := e.gh.SetFile(owner, name, "main", "README.md", "x\n", "maintainer")
	if _, err := e.r.VerifyRepo(context.Background(), runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name,
		Trigger: "push", PushSHA: other, Paths: []string{"README.md"}}); err != nil {
		t.Fatal(err)
	}
	if runs := e.gh.CheckRuns(owner, name, other); len(runs) != 0 {
		t.Errorf("a push not touching the manifest got checks: %+v", runs)
	}
}

func TestInvalidConfigIsExplained(t *testing.T) {
	e := newEnv(t, verify.ModeFull)
	e.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2})
	issue := e.run().Remedy.Issue
	bad := &repoconfig.Error{File: repoconfig.Path, Problems: []repoconfig.Problem{{Line: 1, Column: 16, Key: "verify.mode",
		Message: `must be full, metadata or auto, not "fast"`}}}
	e.settings = func() (*runner.Settings, error) { return nil, bad }

	sha := e.gh.SetFile(owner, name, "main", ".github/pindrift.yml", "verify: {mode: fast}\n", "maintainer")
	if _, err := e.r.VerifyRepo(context.Background(), runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name,
		Trigger: "push", PushSHA: sha, Paths: []string{".github/pindrift.yml"}}); err != nil {
		t.Fatal(err)
	}
	runs := e.gh.CheckRuns(owner, name, sha)
	if len(runs) != 1 || runs[0].Conclusion != "failure" || !strings.Contains(runs[0].Output.Summary, "verify.mode") {
		t.Fatalf("push of an invalid config: %+v", runs)
	}
	for i := 0; i < 2; i++ {
		if _, err := e.r.VerifyRepo(context.Background(), runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name, Trigger: "nightly sweep"}); err != nil {
			t.Fatal(err)
		}
	}
	var said int
	for _, c := range e.gh.Comments(owner, name, issue) {
		if strings.Contains(c.Body, "verify.mode") {
			said++
		}
	}
	if said != 1 {
		t.Errorf("the tracking issue got %d comments about the invalid config, want 1", said)
	}
}

func TestRecheckNeedsWriteAccess(t *testing.T) {
	e := newEnv(t, verify.ModeFull)
	e.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2})
	e.gh.SetPermission(owner, name, "reader", "read")
	e.gh.SetPermission(owner, name, "maint", "write")
	e.gh.Reset()
	if _, err := e.r.VerifyRepo(context.Background(), runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name, Trigger: "recheck", RequireWrite: "reader"}); err != nil {
		t.Fatal(err)
	}
	if n := len(e.gh.Writes()); n != 0 {
		t.Errorf("a recheck by a reader caused %d writes", n)
	}
	out, err := e.r.VerifyRepo(context.Background(), runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name, Trigger: "recheck", RequireWrite: "maint"})
	if err != nil || out.Remedy.Issue == 0 {
		t.Errorf("a recheck by a maintainer: %+v, %v", out, err)
	}
}
