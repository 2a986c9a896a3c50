package remedy_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/remedy"
	"github.com/pindrift/pindrift/internal/verify"
)

// Three manifests in three formats: the Python one (src, above) pins the
// kernel and the rootfs, the JSON one the firmware, the YAML one a
// toolchain.
const (
	jsonFile = "deploy/assets.json"
	yamlFile = "ci/pins.yaml"
	fURL     = "https://github.com/acme/images/releases/download/v1/firmware.bin"
	tURL     = "https://github.com/acme/images/releases/download/v1/tools.tar.gz"
)

var (
	jsonSrc = `{
  "assets": [
    {"url": "` + fURL + `", "sha256": "` + hex('e') + `"}
  ]
}
`
	yamlSrc = "toolchain:\n  url: " + tURL + "\n  sha256: " + hex('1') + "\n"
)

// manifest is one configured file of a multi-file test, as the runner
// would read it.
type manifest struct {
	path, src string
	err       error // the file could not be read
}

// filesEnv is a repository with several manifests on a fake GitHub.
type filesEnv struct {
	*env
	files []manifest
}

func newFilesEnv(t *testing.T, files ...manifest) *filesEnv {
	t.Helper()
	e := newEnv(t)
	for _, f := range files {
		if f.err == nil && f.path != file {
			e.gh.SetFile(owner, name, "main", f.path, f.src, "maintainer")
		}
	}
	return &filesEnv{env: e, files: files}
}

// report is one verification of every readable file's pins, the live
// bytes at each URL hashing to live[url] (the pinned digest when absent).
func (e *filesEnv) report(live map[string]string) *verify.Report {
	e.t.Helper()
	byURL := map[string]*verify.Outcome{}
	var order []string
	for _, f := range e.files {
		if f.err != nil {
			continue
		}
		res, err := extract.File(context.Background(), f.path, []byte(f.src), pin.Options{})
		if err != nil {
			e.t.Fatal(err)
		}
		for _, p := range res.Pins {
			o, ok := byURL[p.URL]
			if !ok {
				got, ok := live[p.URL]
				if !ok {
					got = p.SHA256
				}
				o = &verify.Outcome{URL: p.URL, Got: got, Status: verify.StatusOK}
				byURL[p.URL] = o
				order = append(order, p.URL)
			}
			o.Pins = append(o.Pins, p)
			if !slices.Contains(o.Expected, p.SHA256) {
				o.Expected = append(o.Expected, p.SHA256)
			}
			if p.SHA256 != o.Got {
				o.Status = verify.StatusDrift
			}
		}
	}
	rep := &verify.Report{}
	for _, u := range order {
		rep.Outcomes = append(rep.Outcomes, *byURL[u])
	}
	rep.Summary = verify.Summarize(rep.Outcomes)
	return rep
}

func (e *filesEnv) run(live map[string]string) remedy.Result {
	e.t.Helper()
	head, _ := e.gh.Ref(owner, name, "heads/main")
	var files []remedy.File
	for _, f := range e.files {
		rf := remedy.File{Path: f.path, Err: f.err}
		if f.err == nil {
			rf.Source = []byte(f.src)
		}
		files = append(files, rf)
	}
	res, err := remedy.Run(context.Background(), remedy.Input{
		Repo: issues.Repo{Owner: owner, Name: name, WebURL: "https://github.com"}, DefaultBranch: "main", Commit: head,
		Files: files, Report: e.report(live), Assets: e.assets, Trigger: "nightly sweep", Time: e.clock, PR: prOn,
	}, e.ic, e.pc)
	if err != nil {
		e.t.Fatalf("remedy.Run: %v", err)
	}
	return res
}

// branchFiles reads every manifest on the App's branch.
func (e *filesEnv) branchFiles() map[string]string {
	out := map[string]string{}
	for _, f := range e.files {
		if got, ok := e.gh.FileAt(owner, name, "heads/"+branch, f.path); ok {
			out[f.path] = got
		}
	}
	return out
}

// sections lists the files the issue has a section for, in order.
func sections(body string) []string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if f, ok := strings.CutPrefix(l, "### In `"); ok {
			out = append(out, strings.TrimSuffix(f, "`"))
		}
	}
	return out
}

// TestSeveralFilesLifecycle: drift in two of three manifests gives one
// issue listing both files and one PR whose single commit rewrites the
// digests in both; restoring one asset drops that file from the issue and
// the PR; restoring the other closes both and deletes the branch. Every
// run repeated writes nothing.
func TestSeveralFilesLifecycle(t *testing.T) {
	e := newFilesEnv(t, manifest{path: file, src: src}, manifest{path: jsonFile, src: jsonSrc}, manifest{path: yamlFile, src: yamlSrc})
	main, _ := e.gh.Ref(owner, name, "heads/main")
	e.gh.Reset()
	drifted := map[string]string{kURL: hex('c'), fURL: hex('f')}
	res := e.run(drifted)
	if res.Issue == 0 || res.PR == 0 {
		t.Fatalf("result %+v, want an issue and a PR", res)
	}
	is, _ := e.gh.Issue(owner, name, res.Issue)
	if diff := cmp.Diff([]string{file, jsonFile}, sections(is.Body)); diff != "" {
		t.Errorf("issue sections (-want +got):\n%s\n%s", diff, is.Body)
	}
	want := map[string]string{
		file:     strings.Replace(src, hex('a'), hex('c'), 1),
		jsonFile: strings.Replace(jsonSrc, hex('e'), hex('f'), 1),
		yamlFile: yamlSrc,
	}
	if diff := cmp.Diff(want, e.branchFiles()); diff != "" {
		t.Errorf("files on the branch (-want +got):\n%s", diff)
	}
	c, _ := e.gh.Commit(owner, name, "heads/"+branch)
	if len(c.Parents) != 1 || c.Parents[0] != main {
		t.Errorf("the fix commit's parents are %v, want main's head %s alone", c.Parents, main)
	}
	for _, want := range []string{"in 2 files", file + ":1", jsonFile + ":3"} {
		if !strings.Contains(c.Message, want) {
			t.Errorf("commit message lacks %q:\n%s", want, c.Message)
		}
	}
	counts := map[string]int{"blobs": e.gh.Count("POST", "repos/*/*/git/blobs"), "trees": e.gh.Count("POST", "repos/*/*/git/trees"),
		"commits": e.gh.Count("POST", "repos/*/*/git/commits"), "PRs": e.gh.Count("POST", "repos/*/*/pulls")}
	if diff := cmp.Diff(map[string]int{"blobs": 2, "trees": 1, "commits": 1, "PRs": 1}, counts); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	pr, _ := e.gh.PullRequest(owner, name, res.PR)
	for _, want := range []string{"in 2 files", "### In `" + file + "`", "### In `" + jsonFile + "`", "#" + itoa(res.Issue)} {
		if !strings.Contains(pr.Body, want) {
			t.Errorf("PR body lacks %q:\n%s", want, pr.Body)
		}
	}
	if !strings.Contains(pr.Title, "in 2 files") {
		t.Errorf("PR title %q", pr.Title)
	}
	e.writes()
	e.run(drifted)
	if w := e.writes(); len(w) != 0 {
		t.Fatalf("the same drift again wrote %v", w)
	}

	// The kernel is restored: only the JSON file still drifts.
	onlyJSON := map[string]string{fURL: hex('f')}
	again := e.run(onlyJSON)
	if again.Issue != res.Issue || again.PR != res.PR {
		t.Errorf("result %+v, want issue #%d and PR #%d kept", again, res.Issue, res.PR)
	}
	is, _ = e.gh.Issue(owner, name, res.Issue)
	if diff := cmp.Diff([]string{jsonFile}, sections(is.Body)); diff != "" || is.State != "open" {
		t.Errorf("issue %s, sections (-want +got):\n%s\n%s", is.State, diff, is.Body)
	}
	want[file] = src
	if diff := cmp.Diff(want, e.branchFiles()); diff != "" {
		t.Errorf("files on the branch (-want +got):\n%s", diff)
	}
	pr, _ = e.gh.PullRequest(owner, name, res.PR)
	if strings.Contains(pr.Body, file) || !strings.Contains(pr.Body, jsonFile) || pr.State != "open" {
		t.Errorf("PR %s does not describe the JSON fix alone:\n%s", pr.State, pr.Body)
	}
	if n := len(e.gh.PullRequests(owner, name)); n != 1 {
		t.Errorf("%d pull requests, want 1", n)
	}
	e.writes()
	e.run(onlyJSON)
	if w := e.writes(); len(w) != 0 {
		t.Fatalf("the JSON drift again wrote %v", w)
	}

	// Both restored: the issue and the PR close, the branch goes.
	e.run(nil)
	is, _ = e.gh.Issue(owner, name, res.Issue)
	pr, _ = e.gh.PullRequest(owner, name, res.PR)
	if is.State != "closed" || pr.State != "closed" {
		t.Errorf("after restoring both: issue %s, PR %s", is.State, pr.State)
	}
	if _, ok := e.gh.Ref(owner, name, "heads/"+branch); ok {
		t.Error("the fix branch was not deleted")
	}
	e.writes()
	e.run(nil)
	if w := e.writes(); len(w) != 0 {
		t.Fatalf("a clean run after resolution wrote %v", w)
	}
}

// TestBlockedAndUnreadFilesDoNotHoldBackTheOthers: the JSON file's fix is
// complete, a Python file's is blocked (one literal feeds two URLs whose
// bytes now differ) and the YAML file cannot be read. The PR fixes the
// JSON file alone and says what it leaves; the issue lists all three.
// Once the drift is gone the issue stays open while the YAML file is
// unread, since nobody knows its pins are fine.
func TestBlockedAndUnreadFilesDoNotHoldBackTheOthers(t *testing.T) {
	const ambiguousFile = "src/images/shared.py"
	ambiguous := `SHA = "` + hex('7') + `"
MANIFEST = {"x": {"url": "` + kURL + `", "sha256": SHA}, "y": {"url": "` + rURL + `", "sha256": SHA}}
`
	unread := errors.New("ci/pins.yaml: mapping values are not allowed here")
	e := newFilesEnv(t, manifest{path: ambiguousFile, src: ambiguous}, manifest{path: jsonFile, src: jsonSrc},
		manifest{path: yamlFile, err: unread})
	drifted := map[string]string{kURL: hex('c'), rURL: hex('7'), fURL: hex('f')}
	res := e.run(drifted)
	if res.Issue == 0 || res.PR == 0 || res.Blocked != "" {
		t.Fatalf("result %+v, want an issue and a PR, nothing blocked as a whole", res)
	}
	want := map[string]string{ambiguousFile: ambiguous, jsonFile: strings.Replace(jsonSrc, hex('e'), hex('f'), 1)}
	if diff := cmp.Diff(want, e.branchFiles()); diff != "" {
		t.Errorf("files on the branch (-want +got):\n%s", diff)
	}
	pr, _ := e.gh.PullRequest(owner, name, res.PR)
	for _, want := range []string{"Not fixed in `" + ambiguousFile + "`", "`" + yamlFile + "` could not be read"} {
		if !strings.Contains(pr.Body, want) {
			t.Errorf("PR body lacks %q:\n%s", want, pr.Body)
		}
	}
	is, _ := e.gh.Issue(owner, name, res.Issue)
	if diff := cmp.Diff([]string{ambiguousFile, jsonFile, yamlFile}, sections(is.Body)); diff != "" {
		t.Errorf("issue sections (-want +got):\n%s\n%s", diff, is.Body)
	}
	for _, want := range []string{"Not fixed in `" + ambiguousFile + "`", "**Could not be read:** `" + unread.Error() + "`", "review #" + itoa(res.PR)} {
		if !strings.Contains(is.Body, want) {
			t.Errorf("issue lacks %q:\n%s", want, is.Body)
		}
	}

	// The drift is gone but the YAML file is still unread: the PR closes,
	// the issue stays open and says why.
	e.run(nil)
	is, _ = e.gh.Issue(owner, name, res.Issue)
	if pr, _ := e.gh.PullRequest(owner, name, res.PR); pr.State != "closed" {
		t.Errorf("PR is %s, want closed", pr.State)
	}
	if is.State != "open" || !strings.Contains(is.Body, "could not be read") {
		t.Errorf("issue is %s with an unread file, want open and saying so:\n%s", is.State, is.Body)
	}
	e.writes()
	e.run(nil)
	if w := e.writes(); len(w) != 0 {
		t.Fatalf("the same run again wrote %v", w)
	}

	// The file reads again, clean: the issue closes.
	e.gh.SetFile(owner, name, "main", yamlFile, yamlSrc, "maintainer")
	e.files[2] = manifest{path: yamlFile, src: yamlSrc}
	e.run(nil)
	if is, _ := e.gh.Issue(owner, name, res.Issue); is.State != "closed" {
		t.Errorf("issue is %s once every file verifies, want closed", is.State)
	}
}

// TestUnreadFileAloneOpensTheIssue: the one manifest cannot be read and
// nothing was verified. The tracking issue opens saying so (nothing else
// would: a sweep posts no check run), and no PR is opened.
func TestUnreadFileAloneOpensTheIssue(t *testing.T) {
	e := newEnv(t)
	e.gh.Reset()
	head, _ := e.gh.Ref(owner, name, "heads/main")
	res, err := remedy.Run(context.Background(), remedy.Input{
		Repo: issues.Repo{Owner: owner, Name: name}, DefaultBranch: "main", Commit: head,
		Files: []remedy.File{{Path: file, Err: errors.New("too large")}}, Trigger: "push", Time: e.clock, PR: prOn,
	}, e.ic, e.pc)
	if err != nil || res.Issue == 0 || res.PR != 0 {
		t.Fatalf("Run = %+v, %v; want an issue, no PR and no error", res, err)
	}
	is, _ := e.gh.Issue(owner, name, res.Issue)
	if body := is.Body; !strings.Contains(body, "too large") || !strings.Contains(body, file) {
		t.Errorf("the issue does not say which file could not be read and why:\n%s", is.Body)
	}
}

// TestFixEvaluatesOnlyDriftedFiles: the fix evaluates again only the
// files verification found drifted (the original and the patched bytes),
// and an evaluation that fails there is not passed on as the manifest's
// fault, which would end the job for good instead of retrying it.
func TestFixEvaluatesOnlyDriftedFiles(t *testing.T) {
	e := newFilesEnv(t, manifest{path: file, src: src}, manifest{path: jsonFile, src: jsonSrc}, manifest{path: yamlFile, src: yamlSrc})
	head, _ := e.gh.Ref(owner, name, "heads/main")
	var evaluated []string
	failing := false
	in := remedy.Input{
		Repo: issues.Repo{Owner: owner, Name: name, WebURL: "https://github.com"}, DefaultBranch: "main", Commit: head,
		Report: e.report(map[string]string{fURL: hex('f')}), Assets: e.assets, Trigger: "nightly sweep", Time: e.clock, PR: prOn,
		Extract: func(ctx context.Context, f string, b []byte, opts pin.Options) (*pin.Result, error) {
			evaluated = append(evaluated, f)
			if failing {
				return nil, &pin.SyntaxError{File: f, Line: 1, Column: 1, Msg: "a flake"}
			}
			return extract.File(ctx, f, b, opts)
		},
	}
	for _, f := range e.files {
		in.Files = append(in.Files, remedy.File{Path: f.path, Source: []byte(f.src)})
	}
	if _, err := remedy.Run(context.Background(), in, e.ic, e.pc); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{jsonFile, jsonFile}, evaluated); diff != "" {
		t.Errorf("files evaluated for the fix (-want +got):\n%s", diff)
	}
	failing = true
	_, err := remedy.Run(context.Background(), in, e.ic, e.pc)
	var se *pin.SyntaxError
	if err == nil || errors.As(err, &se) {
		t.Errorf("a failed evaluation in the fix: %v, want an error that is not the manifest's syntax error", err)
	}
}
