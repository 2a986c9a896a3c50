package ghonboard

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/onboard"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
)

const owner, name = "acme", "widgets"

// TestPullRequests: the App's onboarding PRs in every state, newest
// first, merged told from closed; a person's PR from a branch of the same
// name, and the App's PRs from other branches, are not onboarding PRs.
func TestPullRequests(t *testing.T) {
	t.Parallel()
	gh := ghfake.New(t)
	gh.AddRepo(ghfake.Repo{Owner: owner, Name: name})
	gh.SetFile(owner, name, "main", "README.md", "hi\n", "maintainer")
	gh.SetFile(owner, name, onboard.Branch, ".github/pindrift.yml", "manifests: []\n", gh.AppLogin())
	gh.SetFile(owner, name, "pindrift/resync", "pins.json", "{}\n", gh.AppLogin())
	declined := gh.AddPullRequest(owner, name, ghfake.PullRequest{Title: "Configure pindrift", Body: "first", State: "closed", Head: onboard.Branch, Base: "main"})
	gh.AddPullRequest(owner, name, ghfake.PullRequest{Title: "Fix pins", State: "open", Head: "pindrift/resync", Base: "main"})
	gh.AddPullRequest(owner, name, ghfake.PullRequest{Title: "mine", State: "closed", Author: "mallory", Head: onboard.Branch, Base: "main"})
	merged := gh.AddPullRequest(owner, name, ghfake.PullRequest{Title: "Configure pindrift", Body: "second", State: "open", Head: onboard.Branch, Base: "main"})
	gh.MergePullRequest(owner, name, merged.Number, "maintainer")
	open := gh.AddPullRequest(owner, name, ghfake.PullRequest{Title: "Configure pindrift", Body: "third", State: "open", Head: onboard.Branch, Base: "main"})

	c := New(gh.Client(), gh.AppLogin())
	got, err := c.PullRequests(t.Context(), issues.Repo{Owner: owner, Name: name}, onboard.Branch)
	if err != nil {
		t.Fatal(err)
	}
	want := []onboard.PR{
		{Number: open.Number, Open: true, Body: "third"},
		{Number: merged.Number, Merged: true, Body: "second"},
		{Number: declined.Number, Body: "first"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("PullRequests (-want +got):\n%s", diff)
	}
	if n := len(gh.Requests()); n != 1 {
		t.Errorf("%d requests, want 1: a declined repository costs one request a run", n)
	}
}

// TestPushNeverMovesSomeoneElsesBranch: the onboarding branch goes through
// ghfixpr's guards: a branch a person committed to is not moved, and the
// default branch is never written.
func TestPushNeverMovesSomeoneElsesBranch(t *testing.T) {
	t.Parallel()
	gh := ghfake.New(t)
	gh.AddRepo(ghfake.Repo{Owner: owner, Name: name})
	base := gh.SetFile(owner, name, "main", "README.md", "hi\n", "maintainer")
	repo := issues.Repo{Owner: owner, Name: name}
	c := New(gh.Client(), gh.AppLogin())
	push := fixpr.Push{Branch: onboard.Branch, Base: base, Files: []fixpr.File{{Path: ".github/pindrift.yml", Content: []byte("manifests:\n  - path: a.json\n")}}, Message: onboard.CommitMessage}
	if err := c.Push(t.Context(), repo, push); err != nil {
		t.Fatalf("first push: %v", err)
	}
	b, err := c.Branch(t.Context(), repo, onboard.Branch, "main", ".github/pindrift.yml")
	if err != nil || b == nil || !b.OnlyApp || string(b.Files[".github/pindrift.yml"]) != string(push.Files[0].Content) {
		t.Fatalf("Branch = %+v, %v; want the App's branch holding the configuration", b, err)
	}
	gh.SetFile(owner, name, onboard.Branch, ".github/pindrift.yml", "manifests:\n  - path: b.json\n", "maintainer")
	if b, err := c.Branch(t.Context(), repo, onboard.Branch, "main", ".github/pindrift.yml"); err != nil || b.OnlyApp {
		t.Fatalf("Branch after a person's commit = %+v, %v; want it not the App's", b, err)
	}
	if err := c.Push(t.Context(), repo, push); err == nil {
		t.Error("pushed over a person's commit")
	}
	push.Branch = "main"
	if err := c.Push(t.Context(), repo, push); err == nil {
		t.Error("pushed to the default branch")
	}
	if got, _ := gh.FileAt(owner, name, "main", ".github/pindrift.yml"); got != "" {
		t.Errorf("the default branch holds %q", got)
	}
}
