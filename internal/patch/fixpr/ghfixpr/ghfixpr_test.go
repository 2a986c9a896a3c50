package ghfixpr

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
)

const owner, name, branch = "acme", "images", "pindrift/resync"

// appBranch puts the App's fix branch, one commit by the App on main, on
// a fake GitHub.
func appBranch(t *testing.T) (*ghfake.Server, *Client, issues.Repo) {
	t.Helper()
	gh := ghfake.New(t)
	gh.AddRepo(ghfake.Repo{Owner: owner, Name: name})
	gh.SetFile(owner, name, "main", "pins.py", "A = 'x'\n", "maintainer")
	gh.CreateBranch(owner, name, branch, "main")
	gh.SetFile(owner, name, branch, "pins.py", "A = 'y'\n", gh.AppLogin())
	return gh, New(gh.Client(), gh.AppLogin()), issues.Repo{Owner: owner, Name: name}
}

func TestStateTellsTheAppsBranch(t *testing.T) {
	t.Parallel()
	gh, c, repo := appBranch(t)
	main, _ := gh.Ref(owner, name, "heads/main")
	ex, err := c.State(t.Context(), repo, branch, main, []string{"pins.py"})
	if err != nil || ex.Branch == nil || !ex.Branch.OnlyApp {
		t.Fatalf("State = %+v, %v; want the App's branch", ex.Branch, err)
	}
	gh.CreateBranch(owner, name, "lts", "main")
	ex, err = c.State(t.Context(), repo, "lts", main, []string{"pins.py"})
	if err != nil || ex.Branch == nil || ex.Branch.OnlyApp {
		t.Fatalf("State of a branch cut from main = %+v, %v; want someone else's", ex.Branch, err)
	}
}

// TestBranchPushedToSinceStateIsNotTouched: a person pushes to the App's
// branch between State and the write; the write is refused.
func TestBranchPushedToSinceStateIsNotTouched(t *testing.T) {
	t.Parallel()
	gh, c, repo := appBranch(t)
	main, _ := gh.Ref(owner, name, "heads/main")
	person := gh.SetFile(owner, name, branch, "NOTES.md", "mine\n", "octocat")

	if err := c.DeleteBranch(t.Context(), repo, branch); !errors.Is(err, ErrNotAppBranch) {
		t.Errorf("DeleteBranch = %v, want ErrNotAppBranch", err)
	}
	err := c.Push(t.Context(), repo, fixpr.Push{Branch: branch, Base: main, Files: []fixpr.File{{Path: "pins.py", Content: []byte("A = 'z'\n")}}, Message: "m"})
	if !errors.Is(err, ErrNotAppBranch) {
		t.Errorf("Push = %v, want ErrNotAppBranch", err)
	}
	if got, _ := gh.Ref(owner, name, "heads/"+branch); got != person {
		t.Errorf("the branch moved to %s; the person's commit %s is lost", got, person)
	}
}

func TestAppsOwnBranchIsDeleted(t *testing.T) {
	t.Parallel()
	gh, c, repo := appBranch(t)
	if err := c.DeleteBranch(t.Context(), repo, branch); err != nil {
		t.Fatal(err)
	}
	if _, ok := gh.Ref(owner, name, "heads/"+branch); ok {
		t.Error("the App's branch is still there")
	}
}

// TestPushWritesOneCommitWithEveryFile: a fix across two files is one
// commit on the base, with one blob per file in one tree; State then
// reads each file back, and a path absent on the branch has no entry.
func TestPushWritesOneCommitWithEveryFile(t *testing.T) {
	t.Parallel()
	gh, c, repo := appBranch(t)
	gh.SetFile(owner, name, "main", "deploy/assets.json", "{}\n", "maintainer")
	main, _ := gh.Ref(owner, name, "heads/main")
	gh.Reset()
	err := c.Push(t.Context(), repo, fixpr.Push{Branch: branch, Base: main, Message: "fix both", Files: []fixpr.File{
		{Path: "pins.py", Content: []byte("A = 'z'\n")}, {Path: "deploy/assets.json", Content: []byte("{\"a\": 1}\n")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{"blobs": gh.Count("POST", "repos/*/*/git/blobs"), "trees": gh.Count("POST", "repos/*/*/git/trees"),
		"commits": gh.Count("POST", "repos/*/*/git/commits")}
	if diff := cmp.Diff(map[string]int{"blobs": 2, "trees": 1, "commits": 1}, counts); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	commit, _ := gh.Commit(owner, name, "heads/"+branch)
	if diff := cmp.Diff([]string{main}, commit.Parents); diff != "" {
		t.Errorf("parents (-want +got):\n%s", diff)
	}
	ex, err := c.State(t.Context(), repo, branch, main, []string{"pins.py", "deploy/assets.json", "absent.yaml"})
	if err != nil || ex.Branch == nil {
		t.Fatalf("State = %+v, %v", ex, err)
	}
	want := map[string][]byte{"pins.py": []byte("A = 'z'\n"), "deploy/assets.json": []byte("{\"a\": 1}\n")}
	if diff := cmp.Diff(want, ex.Branch.Files); diff != "" {
		t.Errorf("files on the branch (-want +got):\n%s", diff)
	}
}
