package ghrunner_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/discover"
	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/runner/ghrunner"
)

var repo = issues.Repo{Owner: "acme", Name: "images"}

func newClient(t *testing.T) (*ghfake.Server, *ghrunner.Client) {
	t.Helper()
	gh := ghfake.New(t)
	gh.AddRepo(ghfake.Repo{Owner: repo.Owner, Name: repo.Name, InstallationID: 7, Visibility: "internal"})
	return gh, ghrunner.New(gh.Client(), ghrunner.Options{AppLogin: gh.AppLogin(), WebURL: gh.URL()})
}

// TestCheckRun: a check run is created completed, with the external id
// only when there is one, and later annotations add to the first ones.
func TestCheckRun(t *testing.T) {
	t.Parallel()
	gh, c := newClient(t)
	sha := gh.SetFile(repo.Owner, repo.Name, "main", "m.py", "M = {}\n", "maintainer")
	ctx := context.Background()
	ann := func(line int) runner.Annotation {
		return runner.Annotation{Path: "m.py", Line: line, Level: "failure", Title: "drift", Message: "bytes changed"}
	}
	out := runner.CheckOutput{Title: "T", Summary: "S", Text: "X", Annotations: []runner.Annotation{ann(1), ann(2)}}
	for _, ext := range []string{"", "pr:3"} {
		id, err := c.CreateCheckRun(ctx, repo, runner.CheckRun{Name: "pindrift", HeadSHA: sha, Conclusion: "failure",
			ExternalID: ext, CompletedAt: time.Date(2026, 6, 15, 3, 17, 0, 0, time.UTC), Output: out})
		if err != nil {
			t.Fatal(err)
		}
		more := out
		more.Annotations = []runner.Annotation{ann(3)}
		if err := c.AddAnnotations(ctx, repo, id, "pindrift", more); err != nil {
			t.Fatal(err)
		}
	}
	runs := gh.CheckRuns(repo.Owner, repo.Name, sha)
	if len(runs) != 2 {
		t.Fatalf("%d check runs, want 2", len(runs))
	}
	for i, ext := range []string{"", "pr:3"} {
		r := runs[i]
		if r.Status != "completed" || r.Conclusion != "failure" || r.ExternalID != ext || r.Output.Title != "T" || r.Output.Text != "X" {
			t.Errorf("check run %d: %+v", i, r)
		}
		var lines []int
		for _, a := range r.Output.Annotations {
			if a.StartLine != a.EndLine || a.Level != "failure" || a.Title != "drift" || a.Message != "bytes changed" {
				t.Errorf("annotation %+v", a)
			}
			lines = append(lines, a.StartLine)
		}
		if diff := cmp.Diff([]int{1, 2, 3}, lines); diff != "" {
			t.Errorf("annotated lines (-want +got):\n%s", diff)
		}
	}
}

// TestReadFile: a file within the limit is read; one over it is refused.
func TestReadFile(t *testing.T) {
	t.Parallel()
	gh, c := newClient(t)
	sha := gh.SetFile(repo.Owner, repo.Name, "main", "m.py", "M = {}\n", "maintainer")
	got, err := c.ReadFile(context.Background(), repo, "m.py", sha, 100)
	if err != nil || string(got) != "M = {}\n" {
		t.Fatalf("ReadFile: %q, %v", got, err)
	}
	_, err = c.ReadFile(context.Background(), repo, "m.py", sha, 3)
	if err == nil || !strings.Contains(err.Error(), "over the 3-byte limit") {
		t.Errorf("ReadFile over the limit: %v", err)
	}
}

func TestPullRequest(t *testing.T) {
	t.Parallel()
	gh, c := newClient(t)
	base := gh.SetFile(repo.Owner, repo.Name, "main", "m.py", "M = {}\n", "maintainer")
	gh.CreateBranch(repo.Owner, repo.Name, "bump", "main")
	head := gh.SetFile(repo.Owner, repo.Name, "bump", "m.py", "M = {1: 2}\n", "contributor")
	pr := gh.AddPullRequest(repo.Owner, repo.Name, ghfake.PullRequest{Title: "Bump", Head: "bump", Base: "main", Author: "contributor"})
	ctx := context.Background()
	got, err := c.PullRequest(ctx, repo, pr.Number)
	if err != nil {
		t.Fatal(err)
	}
	want := runner.PullRequest{Author: "contributor", BaseSHA: base,
		Base: runner.Repository{Owner: "acme", Name: "images", DefaultBranch: "main", Visibility: "internal"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pull request (-want +got):\n%s", diff)
	}
	files, err := c.ChangedFiles(ctx, repo, base, head)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]runner.ChangedFile{{Name: "m.py"}}, files); diff != "" {
		t.Errorf("changed files (-want +got):\n%s", diff)
	}
}

// TestTree: one request lists every file with its mode and size, folders
// as folders, links and submodules by their mode; a listing GitHub cut
// short says so.
func TestTree(t *testing.T) {
	t.Parallel()
	gh, c := newClient(t)
	gh.SetFiles(repo.Owner, repo.Name, "main", map[string]string{"WORKSPACE": "workspace(name = \"w\")\n", "bazel/deps.bzl": "x = 1\n"}, "maintainer")
	gh.SetLink(repo.Owner, repo.Name, "main", "deps.bzl", "bazel/deps.bzl", "maintainer")
	sha := gh.SetSubmodule(repo.Owner, repo.Name, "main", "third_party/lib", "0123456789abcdef0123456789abcdef01234567", "maintainer")
	gh.Reset()
	ctx := context.Background()
	got, truncated, err := c.Tree(ctx, repo, sha)
	if err != nil {
		t.Fatal(err)
	}
	want := []discover.Entry{
		{Path: "WORKSPACE", Size: int64(len("workspace(name = \"w\")\n")), Mode: "100644"},
		{Path: "bazel", Mode: discover.ModeFolder},
		{Path: "bazel/deps.bzl", Size: 6, Mode: "100644"},
		{Path: "deps.bzl", Size: 14, Mode: discover.ModeSymlink},
		{Path: "third_party", Mode: discover.ModeFolder},
		{Path: "third_party/lib", Mode: discover.ModeSubmodule},
	}
	if diff := cmp.Diff(want, got); diff != "" || truncated {
		t.Errorf("tree (-want +got):\n%s\ntruncated: %v", diff, truncated)
	}
	if n := gh.Count("GET", "/repos/acme/images/git/trees/{sha}"); n != 1 {
		t.Errorf("%d tree requests, want 1", n)
	}

	gh.SetTreeLimit(2)
	got, truncated, err = c.Tree(ctx, repo, sha)
	if err != nil || len(got) != 2 || !truncated {
		t.Errorf("Tree with a limit of 2: %d entries, truncated %v, %v; want 2, true", len(got), truncated, err)
	}
	if _, _, err := c.Tree(ctx, repo, "0000000000000000000000000000000000000000"); err == nil || !strings.Contains(err.Error(), "list the tree of acme/images") {
		t.Errorf("Tree of an unknown commit: %v, want an error naming the repository", err)
	}
}
