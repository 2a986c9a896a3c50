package remedy_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/issues/ghissues"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
	"github.com/pindrift/pindrift/internal/patch/fixpr/ghfixpr"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/remedy"
	"github.com/pindrift/pindrift/internal/verify"
)

const (
	owner, name = "acme", "images"
	file        = "src/images/published.py"
	kURL        = "https://github.com/acme/images/releases/download/v1/vmlinux"
	rURL        = "https://github.com/acme/images/releases/download/v1/rootfs.zst"
	branch      = fixpr.DefaultBranch
)

func hex(c byte) string { return strings.Repeat(string(c), 64) }

// The manifest pins a kernel shared by two rows, and a rootfs.
var src = `KERNEL = "` + hex('a') + `"
MANIFEST = {
    "x": {"kernel_url": "` + kURL + `", "kernel_sha256": KERNEL,
          "rootfs_url": "` + rURL + `", "rootfs_sha256": "` + hex('b') + `"},
    "y": {"kernel_url": "` + kURL + `", "kernel_sha256": KERNEL},
}
`

// env is a repository on a fake GitHub, driven run by run.
type env struct {
	t      *testing.T
	gh     *ghfake.Server
	ic     issues.Client
	pc     fixpr.Client
	assets map[string]issues.AssetFacts
	clock  time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	gh := ghfake.New(t)
	gh.AddRepo(ghfake.Repo{Owner: owner, Name: name})
	gh.SetFile(owner, name, "main", file, src, "maintainer")
	client := gh.Client()
	return &env{t: t, gh: gh, ic: ghissues.New(client, gh.AppLogin()), pc: ghfixpr.New(client, gh.AppLogin()),
		assets: map[string]issues.AssetFacts{}, clock: time.Date(2026, 6, 15, 3, 17, 0, 0, time.UTC)}
}

// report builds what verification would say if the live bytes at each URL
// hashed to live[url].
func (e *env) report(live map[string]string) *verify.Report {
	e.t.Helper()
	res, err := extract.File(context.Background(), file, []byte(src), pin.Options{})
	if err != nil {
		e.t.Fatal(err)
	}
	byURL := map[string]*verify.Outcome{}
	var order []string
	for _, p := range res.Pins {
		o, ok := byURL[p.URL]
		if !ok {
			o = &verify.Outcome{URL: p.URL, Got: live[p.URL], Status: verify.StatusOK}
			byURL[p.URL] = o
			order = append(order, p.URL)
		}
		o.Pins = append(o.Pins, p)
		if !strings.Contains(strings.Join(o.Expected, ","), p.SHA256) {
			o.Expected = append(o.Expected, p.SHA256)
		}
		if p.SHA256 != o.Got {
			o.Status = verify.StatusDrift
		}
	}
	rep := &verify.Report{}
	for _, u := range order {
		rep.Outcomes = append(rep.Outcomes, *byURL[u])
	}
	rep.Summary = verify.Summarize(rep.Outcomes)
	return rep
}

func (e *env) run(kernel, rootfs byte, pr fixpr.Config) remedy.Result {
	e.t.Helper()
	e.clock = e.clock.Add(time.Hour)
	head, _ := e.gh.Ref(owner, name, "heads/main")
	res, err := remedy.Run(context.Background(), remedy.Input{
		Repo: issues.Repo{Owner: owner, Name: name, WebURL: "https://github.com"}, DefaultBranch: "main", Commit: head,
		Files: []remedy.File{{Path: file, Source: []byte(src)}}, Report: e.report(map[string]string{kURL: hex(kernel), rURL: hex(rootfs)}),
		Assets: e.assets, Trigger: "nightly sweep", Time: e.clock, PR: pr,
	}, e.ic, e.pc)
	if err != nil {
		e.t.Fatalf("remedy.Run: %v", err)
	}
	return res
}

// writes lists the write requests since the last call, as "METHOD path".
func (e *env) writes() []string {
	var out []string
	for _, r := range e.gh.Writes() {
		out = append(out, r.Method+" "+r.Path)
	}
	e.gh.Reset()
	return out
}

var prOn = fixpr.Config{Enabled: true}

func TestNoDriftWritesNothing(t *testing.T) {
	e := newEnv(t)
	e.gh.Reset()
	res := e.run('a', 'b', prOn)
	if w := e.writes(); len(w) != 0 || res.Issue != 0 || res.PR != 0 {
		t.Fatalf("no drift wrote %v, result %+v", w, res)
	}
}

func TestDriftLifecycle(t *testing.T) {
	e := newEnv(t)
	e.gh.Reset()

	// First drift: one issue and one PR, linked both ways.
	res := e.run('c', 'b', prOn)
	if res.Issue == 0 || res.PR == 0 {
		t.Fatalf("first drift: %+v, want an issue and a PR", res)
	}
	is, _ := e.gh.Issue(owner, name, res.Issue)
	pr, _ := e.gh.PullRequest(owner, name, res.PR)
	if !strings.Contains(is.Body, issues.Marker) || !strings.Contains(is.Body, "#"+itoa(res.PR)) || !strings.Contains(is.Labels[0], issues.DefaultLabel) {
		t.Errorf("issue #%d does not link the PR or lacks its marker/label:\n%s", res.Issue, is.Body)
	}
	if pr.Head != branch || pr.Base != "main" || pr.State != "open" || !strings.Contains(pr.Body, "#"+itoa(res.Issue)) {
		t.Errorf("PR = %+v", pr)
	}
	fixed, _ := e.gh.FileAt(owner, name, "heads/"+branch, file)
	if want := strings.Replace(src, hex('a'), hex('c'), 1); fixed != want {
		t.Errorf("branch file:\n%s\nwant:\n%s", fixed, want)
	}
	if mainFile, _ := e.gh.FileAt(owner, name, "heads/main", file); mainFile != src {
		t.Fatal("the default branch was changed")
	}
	c, _ := e.gh.Commit(owner, name, "heads/"+branch)
	if !strings.Contains(c.Message, "src/images/published.py:1") {
		t.Errorf("commit message %q does not list the change", c.Message)
	}
	e.writes()

	// The same drift again, from any trigger: not one write.
	e.run('c', 'b', prOn)
	if w := e.writes(); len(w) != 0 {
		t.Fatalf("the same drift again wrote %v", w)
	}

	// The drift grows: one comment on the issue, the branch and PR updated.
	before := len(e.gh.Comments(owner, name, res.Issue))
	e.run('c', 'd', prOn)
	if n := len(e.gh.Comments(owner, name, res.Issue)) - before; n != 1 {
		t.Errorf("%d new comments on the issue, want 1", n)
	}
	fixed, _ = e.gh.FileAt(owner, name, "heads/"+branch, file)
	if !strings.Contains(fixed, hex('d')) || !strings.Contains(fixed, hex('c')) {
		t.Errorf("branch not updated to the grown drift:\n%s", fixed)
	}
	if n := len(e.gh.PullRequests(owner, name)); n != 1 {
		t.Errorf("%d pull requests, want 1", n)
	}
	e.writes()
	e.run('c', 'd', prOn)
	if w := e.writes(); len(w) != 0 {
		t.Fatalf("the grown drift again wrote %v", w)
	}

	// Resolved: the issue says so and closes, the PR closes, the branch goes.
	e.run('a', 'b', prOn)
	is, _ = e.gh.Issue(owner, name, res.Issue)
	pr, _ = e.gh.PullRequest(owner, name, res.PR)
	if is.State != "closed" || is.StateReason != "completed" || pr.State != "closed" {
		t.Errorf("after resolution: issue %s/%s, PR %s", is.State, is.StateReason, pr.State)
	}
	if _, ok := e.gh.Ref(owner, name, "heads/"+branch); ok {
		t.Error("the fix branch was not deleted")
	}
	comments := e.gh.Comments(owner, name, res.Issue)
	if last := comments[len(comments)-1].Body; !strings.Contains(last, "Every pin verifies again") {
		t.Errorf("last issue comment: %q", last)
	}
	e.writes()
	e.run('a', 'b', prOn)
	if w := e.writes(); len(w) != 0 {
		t.Fatalf("after resolution, a clean run wrote %v", w)
	}
}

func TestPersonsCommitOnTheBranchIsNotOverwritten(t *testing.T) {
	e := newEnv(t)
	res := e.run('c', 'b', prOn)
	theirs := e.gh.SetFile(owner, name, branch, "NOTES.md", "my notes\n", "alice")
	e.gh.Reset()

	e.run('c', 'd', prOn) // the drift changes: the App would push, but must not
	if head, _ := e.gh.Ref(owner, name, "heads/"+branch); head != theirs {
		t.Fatalf("the branch moved from the person's commit %s to %s", theirs, head)
	}
	if n := e.gh.Count("PATCH", "repos/*/*/git/refs/**") + e.gh.Count("POST", "repos/*/*/git/commits"); n != 0 {
		t.Errorf("%d ref updates or commits after a person committed", n)
	}
	prComments := e.gh.Comments(owner, name, res.PR)
	if len(prComments) != 1 || !strings.Contains(prComments[0].Body, "will not update this branch") {
		t.Fatalf("PR comments %+v, want one saying the branch is left alone", prComments)
	}
	e.run('c', 'e', prOn)
	if n := len(e.gh.Comments(owner, name, res.PR)); n != 1 {
		t.Errorf("%d PR comments after another run, want still 1", n)
	}

	// Resolution closes the PR but keeps the person's branch.
	e.run('a', 'b', prOn)
	if _, ok := e.gh.Ref(owner, name, "heads/"+branch); !ok {
		t.Error("a branch with a person's commit was deleted")
	}
}

func TestAmbiguousOrImmutableMeansNoPR(t *testing.T) {
	t.Run("immutable release", func(t *testing.T) {
		e := newEnv(t)
		e.assets[kURL] = issues.AssetFacts{Name: "vmlinux", Immutable: true, Size: -1}
		res := e.run('c', 'b', prOn)
		is, _ := e.gh.Issue(owner, name, res.Issue)
		if res.PR != 0 || len(e.gh.PullRequests(owner, name)) != 0 {
			t.Fatalf("a PR was opened for an immutable release")
		}
		if !strings.Contains(is.Body, "[!CAUTION]") || !strings.Contains(is.Body, "security review") {
			t.Errorf("issue lacks the security wording:\n%s", is.Body)
		}
	})
	t.Run("fix PRs disabled", func(t *testing.T) {
		e := newEnv(t)
		res := e.run('c', 'b', fixpr.Config{})
		if res.Issue == 0 || res.PR != 0 || len(e.gh.PullRequests(owner, name)) != 0 {
			t.Fatalf("result %+v with fix PRs disabled", res)
		}
	})
}

// TestPersonClosedIssueStaysClosed: a maintainer closed the tracking issue
// while the drift stood; the App respects that until the drift changes.
func TestPersonClosedIssueStaysClosed(t *testing.T) {
	e := newEnv(t)
	res := e.run('c', 'b', fixpr.Config{})
	e.gh.CloseIssue(owner, name, res.Issue, "maintainer", "not_planned")
	e.gh.Reset()
	e.run('c', 'b', fixpr.Config{})
	if w := e.writes(); len(w) != 0 {
		t.Fatalf("the App wrote %v to an issue a person closed, with the same drift", w)
	}
	e.run('c', 'd', fixpr.Config{})
	if is, _ := e.gh.Issue(owner, name, res.Issue); is.State != "open" {
		t.Errorf("issue is %s after the drift changed, want reopened", is.State)
	}
	if n := len(e.gh.Issues(owner, name)); n != 1 {
		t.Errorf("%d issues, want the one reopened", n)
	}
}

func TestDuplicatesClosed(t *testing.T) {
	e := newEnv(t)
	res := e.run('c', 'b', fixpr.Config{})
	is, _ := e.gh.Issue(owner, name, res.Issue)
	dup := e.gh.AddIssue(owner, name, ghfake.Issue{Title: is.Title, Body: is.Body})
	e.run('c', 'b', fixpr.Config{})
	if got, _ := e.gh.Issue(owner, name, dup.Number); got.State != "closed" {
		t.Errorf("duplicate #%d is %s", dup.Number, got.State)
	}
	if got, _ := e.gh.Issue(owner, name, res.Issue); got.State != "open" {
		t.Errorf("the oldest tracking issue #%d is %s", res.Issue, got.State)
	}
}

func itoa(n int) string {
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
