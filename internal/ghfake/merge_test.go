package ghfake

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

// TestMergePullRequest: a person's merge brings the head's changes to the
// base, keeps what the base gained meanwhile, and shows as merged through
// the API in every state listing.
func TestMergePullRequest(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.SetFiles("o", "r", "main", map[string]string{"keep": "k", "gone": "g"}, "alice")
	s.CreateBranch("o", "r", "topic", "main")
	s.SetFile("o", "r", "topic", "new", "n", DefaultAppLogin)
	s.DeleteFile("o", "r", "topic", "gone", DefaultAppLogin)
	s.SetFile("o", "r", "main", "later", "l", "alice") // the base moves on
	c, cx := s.Client(), ctx(t)
	pr, _, err := c.PullRequests.Create(cx, "o", "r", &github.NewPullRequest{Title: github.String("t"),
		Head: github.String("topic"), Base: github.String("main")})
	if err != nil {
		t.Fatal(err)
	}
	if merged, _, err := c.PullRequests.IsMerged(cx, "o", "r", pr.GetNumber()); err != nil || merged {
		t.Errorf("IsMerged before the merge = %v, %v; want false", merged, err)
	}
	sha := s.MergePullRequest("o", "r", pr.GetNumber(), "alice")

	for path, want := range map[string]string{"keep": "k", "new": "n", "later": "l"} {
		if got, ok := s.FileAt("o", "r", "main", path); !ok || got != want {
			t.Errorf("main:%s = %q, %v; want %q", path, got, ok, want)
		}
	}
	if _, ok := s.FileAt("o", "r", "main", "gone"); ok {
		t.Error("a file the pull request deleted is still on main")
	}
	if head, _ := s.Ref("o", "r", "main"); head != sha {
		t.Errorf("main is at %s, want the merge commit %s", head, sha)
	}
	merged, _, err := c.PullRequests.IsMerged(cx, "o", "r", pr.GetNumber())
	if err != nil || !merged {
		t.Errorf("IsMerged = %v, %v; want true", merged, err)
	}
	list, _, err := c.PullRequests.List(cx, "o", "r", &github.PullRequestListOptions{State: "all", Head: "o:topic"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range list {
		got = append(got, p.GetState())
		if !p.GetMerged() || p.MergedAt == nil || p.GetMergeCommitSHA() != sha {
			t.Errorf("listed %+v; want it merged at %s", p, sha)
		}
	}
	if diff := cmp.Diff([]string{"closed"}, got); diff != "" {
		t.Errorf("states (-want +got):\n%s", diff)
	}
	if p, _ := s.PullRequest("o", "r", pr.GetNumber()); !p.Merged {
		t.Error("PullRequest does not say merged")
	}
}
