package ghfake

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

func TestIssueLifecycle(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.AddRepo(Repo{Owner: "o", Name: "r"})
	c := s.Client()
	cx := ctx(t)
	is, resp, err := c.Issues.Create(cx, "o", "r", &github.IssueRequest{Title: github.String("Pinned digest drifted"),
		Body: github.String("body"), Labels: &[]string{"pindrift"}})
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatal(err)
	}
	if is.GetUser().GetLogin() != DefaultAppLogin || is.GetUser().GetType() != "Bot" || is.GetNumber() != 1 ||
		is.GetHTMLURL() != s.URL()+"/o/r/issues/1" || len(is.Labels) != 1 || is.GetState() != "open" {
		t.Errorf("created %+v", is)
	}
	if l, _, err := c.Issues.GetLabel(cx, "o", "r", "pindrift"); err != nil || l.GetName() != "pindrift" {
		t.Errorf("label created with the issue: %v, %v", l, err)
	}
	closed, _, err := c.Issues.Edit(cx, "o", "r", 1, &github.IssueRequest{State: github.String("closed"),
		StateReason: github.String("not_planned")})
	if err != nil || closed.GetState() != "closed" || closed.GetStateReason() != "not_planned" || closed.ClosedAt == nil {
		t.Fatalf("closed = %+v, %v", closed, err)
	}
	reopened, _, err := c.Issues.Edit(cx, "o", "r", 1, &github.IssueRequest{State: github.String("open"),
		Title: github.String("new title"), Assignees: &[]string{"alice"}})
	if err != nil || reopened.GetStateReason() != "reopened" || reopened.ClosedAt != nil ||
		reopened.GetTitle() != "new title" || reopened.GetAssignee().GetLogin() != "alice" {
		t.Fatalf("reopened = %+v, %v", reopened, err)
	}
	if _, err := c.Issues.Lock(cx, "o", "r", 1, &github.LockIssueOptions{LockReason: "resolved"}); err != nil {
		t.Fatal(err)
	}
	got, _, err := c.Issues.Get(cx, "o", "r", 1)
	if err != nil || !got.GetLocked() || got.GetActiveLockReason() != "resolved" {
		t.Errorf("after lock: %+v, %v", got, err)
	}
	if _, err := c.Issues.Unlock(cx, "o", "r", 1); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Issue("o", "r", 1); st.Locked {
		t.Error("still locked after Unlock")
	}
	if _, _, err := c.Issues.Get(cx, "o", "r", 99); status(err) != http.StatusNotFound {
		t.Errorf("missing issue: %v, want 404", err)
	}
	if _, _, err := c.Issues.Create(cx, "o", "r", &github.IssueRequest{}); status(err) != http.StatusUnprocessableEntity {
		t.Errorf("issue without title: %v, want 422", err)
	}
}

func TestListIssuesFilters(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.AddIssue("o", "r", Issue{Title: "bot open", Labels: []string{"pindrift", "bug"}})
	s.AddIssue("o", "r", Issue{Title: "human open", Author: "alice", Labels: []string{"pindrift"}})
	s.AddIssue("o", "r", Issue{Title: "bot closed", State: "closed", Labels: []string{"pindrift"}})
	s.CreateBranch("o", "r", "fix", s.SetFile("o", "r", "main", "f", "1", "alice"))
	s.AddPullRequest("o", "r", PullRequest{Title: "bot pr", Head: "fix", Base: "main", Labels: []string{"pindrift"}})
	c := s.Client()
	for name, tc := range map[string]struct {
		opts github.IssueListByRepoOptions
		want []string
	}{
		"default is open, newest first, pulls included": {
			want: []string{"bot pr", "human open", "bot open"}},
		"creator": {opts: github.IssueListByRepoOptions{Creator: DefaultAppLogin, State: "all"},
			want: []string{"bot pr", "bot closed", "bot open"}},
		"all labels must match": {opts: github.IssueListByRepoOptions{Labels: []string{"PINDRIFT", "bug"}},
			want: []string{"bot open"}},
		"closed ascending": {opts: github.IssueListByRepoOptions{State: "closed", Direction: "asc"},
			want: []string{"bot closed"}},
	} {
		is, _, err := c.Issues.ListByRepo(ctx(t), "o", "r", &tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, i := range is {
			got = append(got, i.GetTitle())
			if i.GetTitle() == "bot pr" && !i.IsPullRequest() {
				t.Errorf("%s: pull request listed without pull_request", name)
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	if got := s.Issues("o", "r"); len(got) != 3 {
		t.Errorf("Issues() has %d entries, want 3 (pulls excluded)", len(got))
	}
}

func TestComments(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.AddIssue("o", "r", Issue{Title: "t"})
	s.AddComment("o", "r", 1, "alice", "/pindrift recheck")
	c := s.Client()
	cx := ctx(t)
	cm, _, err := c.Issues.CreateComment(cx, "o", "r", 1, &github.IssueComment{Body: github.String("still drifting")})
	if err != nil || cm.GetUser().GetLogin() != DefaultAppLogin {
		t.Fatalf("CreateComment = %+v, %v", cm, err)
	}
	if _, _, err := c.Issues.EditComment(cx, "o", "r", cm.GetID(), &github.IssueComment{Body: github.String("edited")}); err != nil {
		t.Fatal(err)
	}
	list, _, err := c.Issues.ListComments(cx, "o", "r", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range list {
		got = append(got, l.GetUser().GetLogin()+": "+l.GetBody())
	}
	if diff := cmp.Diff([]string{"alice: /pindrift recheck", DefaultAppLogin + ": edited"}, got); diff != "" {
		t.Errorf("comments (-want +got):\n%s", diff)
	}
	if is, _ := s.Issue("o", "r", 1); is.Comments != 2 {
		t.Errorf("issue comment count %d, want 2", is.Comments)
	}
	if _, _, err := c.Issues.CreateComment(cx, "o", "r", 2, &github.IssueComment{Body: github.String("x")}); status(err) != http.StatusNotFound {
		t.Errorf("comment on a missing issue: %v, want 404", err)
	}
}

func TestLabels(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.AddIssue("o", "r", Issue{Title: "t"})
	c := s.Client()
	cx := ctx(t)
	if _, _, err := c.Issues.GetLabel(cx, "o", "r", "pindrift"); status(err) != http.StatusNotFound {
		t.Fatalf("missing label: %v, want 404", err)
	}
	l, _, err := c.Issues.CreateLabel(cx, "o", "r", &github.Label{Name: github.String("pindrift"), Color: github.String("d73a4a")})
	if err != nil || l.GetColor() != "d73a4a" {
		t.Fatalf("CreateLabel = %+v, %v", l, err)
	}
	if _, _, err := c.Issues.CreateLabel(cx, "o", "r", &github.Label{Name: github.String("Pindrift")}); status(err) != http.StatusUnprocessableEntity {
		t.Errorf("duplicate label: %v, want 422", err)
	}
	got, _, err := c.Issues.AddLabelsToIssue(cx, "o", "r", 1, []string{"pindrift", "new-one"})
	if err != nil || len(got) != 2 {
		t.Fatalf("AddLabelsToIssue = %v, %v", got, err)
	}
	if _, err := c.Issues.RemoveLabelForIssue(cx, "o", "r", 1, "new-one"); err != nil {
		t.Fatal(err)
	}
	if is, _ := s.Issue("o", "r", 1); !cmp.Equal(is.Labels, []string{"pindrift"}) {
		t.Errorf("labels %v, want [pindrift]", is.Labels)
	}
}
