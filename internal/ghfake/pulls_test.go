package ghfake

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

func TestPullRequests(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.SetFile("o", "r", "main", "f", "1", "alice")
	s.CreateBranch("o", "r", "fix", "main")
	c := s.Client()
	cx := ctx(t)
	newPR := &github.NewPullRequest{Title: github.String("Update pins"), Head: github.String("o:fix"),
		Base: github.String("main"), Body: github.String("b"), Draft: github.Bool(true)}
	if _, _, err := c.PullRequests.Create(cx, "o", "r", newPR); status(err) != http.StatusUnprocessableEntity {
		t.Errorf("PR without commits: %v, want 422", err)
	}
	head := s.SetFile("o", "r", "fix", "f", "2", DefaultAppLogin)
	s.AddIssue("o", "r", Issue{Title: "tracking"}) // numbers are shared with issues
	pr, resp, err := c.PullRequests.Create(cx, "o", "r", newPR)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatal(err)
	}
	if pr.GetNumber() != 2 || pr.GetHead().GetSHA() != head || pr.GetHead().GetRef() != "fix" ||
		pr.GetBase().GetRef() != "main" || !pr.GetDraft() || pr.GetMerged() || pr.GetUser().GetLogin() != DefaultAppLogin {
		t.Errorf("created %+v", pr)
	}
	_, _, err = c.PullRequests.Create(cx, "o", "r", newPR)
	var ghErr *github.ErrorResponse
	if status(err) != http.StatusUnprocessableEntity || !asErr(err, &ghErr) ||
		!strings.Contains(ghErr.Errors[0].Message, "already exists") {
		t.Errorf("duplicate PR: %v, want 422 already exists", err)
	}
	if _, _, err := c.PullRequests.RequestReviewers(cx, "o", "r", 2, github.ReviewersRequest{Reviewers: []string{"alice"}}); err != nil {
		t.Fatal(err)
	}
	newHead := s.SetFile("o", "r", "fix", "f", "3", DefaultAppLogin)
	for name, tc := range map[string]struct {
		opts github.PullRequestListOptions
		want []int
	}{
		"by head":        {github.PullRequestListOptions{Head: "o:fix"}, []int{2}},
		"other head":     {github.PullRequestListOptions{Head: "o:nope"}, nil},
		"other base":     {github.PullRequestListOptions{Base: "dev"}, nil},
		"closed":         {github.PullRequestListOptions{State: "closed"}, nil},
		"bare head name": {github.PullRequestListOptions{Head: "fix"}, []int{2}},
	} {
		list, _, err := c.PullRequests.List(cx, "o", "r", &tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, p := range list {
			got = append(got, p.GetNumber())
			if p.GetHead().GetSHA() != newHead {
				t.Errorf("%s: head sha %s, want the branch's new head %s", name, p.GetHead().GetSHA(), newHead)
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	edited, _, err := c.PullRequests.Edit(cx, "o", "r", 2, &github.PullRequest{Title: github.String("t2"), State: github.String("closed")})
	if err != nil || edited.GetState() != "closed" || edited.GetTitle() != "t2" || edited.ClosedAt == nil {
		t.Fatalf("Edit = %+v, %v", edited, err)
	}
	got, _ := s.PullRequest("o", "r", 2)
	want := PullRequest{ID: got.ID, Number: 2, Title: "t2", Body: "b", State: "closed", Author: DefaultAppLogin,
		Head: "fix", Base: "main", HeadSHA: newHead, Draft: true, Reviewers: []string{"alice"},
		CreatedAt: got.CreatedAt, UpdatedAt: got.UpdatedAt, ClosedAt: got.ClosedAt}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored PR (-want +got):\n%s", diff)
	}
	if _, _, err := c.PullRequests.Get(cx, "o", "r", 1); status(err) != http.StatusNotFound {
		t.Errorf("GET pulls/1 (an issue): %v, want 404", err)
	}
}

func TestMergeFailsTheTest(t *testing.T) {
	t.Parallel()
	tb := &recordingTB{T: t}
	s := New(tb)
	s.SetFile("o", "r", "main", "f", "1", "alice")
	s.SetFile("o", "r", "fix", "f", "2", "alice")
	s.AddPullRequest("o", "r", PullRequest{Title: "p", Head: "fix", Base: "main"})
	c := s.Client()
	if merged, _, err := c.PullRequests.IsMerged(ctx(t), "o", "r", 1); err != nil || merged {
		t.Errorf("IsMerged = %v, %v; want false", merged, err)
	}
	if len(tb.errors()) != 0 {
		t.Fatalf("IsMerged reported %q", tb.errors())
	}
	if _, _, err := c.PullRequests.Merge(ctx(t), "o", "r", 1, "", nil); err == nil {
		t.Error("Merge succeeded")
	}
	if errs := tb.errors(); len(errs) != 1 || !strings.Contains(errs[0], "never merge") {
		t.Errorf("reported %q, want one never-merge error", errs)
	}
}
