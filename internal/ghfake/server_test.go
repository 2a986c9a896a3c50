package ghfake

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/go-github/v62/github"
)

// recordingTB captures Errorf so a test can assert that the fake reported a
// failure without failing itself; the rest of T is the test's.
type recordingTB struct {
	T
	mu   sync.Mutex
	errs []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recordingTB) errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestUnknownRequestFailsTheTest(t *testing.T) {
	t.Parallel()
	tb := &recordingTB{T: t}
	s := New(tb)
	s.SetFile("o", "r", "main", "README", "hi", "alice")
	_, resp, err := s.Client().Repositories.GetCombinedStatus(ctx(t), "o", "r", "main", nil)
	var ghErr *github.ErrorResponse
	if !errors.As(err, &ghErr) || resp.StatusCode != http.StatusNotFound || ghErr.Message != "Not Found" {
		t.Fatalf("GetCombinedStatus = %v, %v; want GitHub's 404 error", resp, err)
	}
	want := []string{"ghfake: unexpected request GET /api-v3/repos/o/r/commits/main/status"}
	if diff := cmp.Diff(want, tb.errors()); diff != "" {
		t.Errorf("reported errors (-want +got):\n%s", diff)
	}
}

func TestKnownRouteOnUnknownRepoIsA404NotAFailure(t *testing.T) {
	t.Parallel()
	tb := &recordingTB{T: t}
	s := New(tb)
	_, resp, err := s.Client().Repositories.Get(ctx(t), "nobody", "nothing")
	if err == nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("Get = %v, %v; want 404", resp, err)
	}
	if errs := tb.errors(); len(errs) != 0 {
		t.Errorf("reported errors %q, want none", errs)
	}
}

func TestAbsoluteURLOutsideBasePathFails(t *testing.T) {
	t.Parallel()
	tb := &recordingTB{T: t}
	s := New(tb)
	s.AddRepo(Repo{Owner: "o", Name: "r"})
	resp, err := s.srv.Client().Get(s.URL() + "/repos/o/r")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || len(tb.errors()) != 1 {
		t.Errorf("GET /repos/o/r without base path: status %d, errors %q; want 404 and one error", resp.StatusCode, tb.errors())
	}
}

func TestRecording(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.AddRepo(Repo{Owner: "o", Name: "r"})
	c := s.ClientWithToken("tok-1")
	if _, _, err := c.Repositories.Get(ctx(t), "o", "r"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Issues.Create(ctx(t), "o", "r", &github.IssueRequest{Title: github.String("t")}); err != nil {
		t.Fatal(err)
	}
	reqs := s.Requests()
	if len(reqs) != 2 {
		t.Fatalf("got %d requests, want 2", len(reqs))
	}
	got := reqs[1]
	if got.Method != "POST" || got.Path != "/repos/o/r/issues" || !got.API || got.Token != "tok-1" ||
		got.Header.Get("Authorization") != "Bearer tok-1" || got.Status != http.StatusCreated ||
		!strings.Contains(string(got.Body), `"title":"t"`) {
		t.Errorf("recorded %+v", got)
	}
	for name, tc := range map[string]struct {
		method, pattern string
		want            int
	}{
		"any method":     {"", "/repos/**", 2},
		"exact":          {"GET", "/repos/o/r", 1},
		"wildcard":       {"POST", "/repos/*/*/issues", 1},
		"other method":   {"DELETE", "/repos/o/r", 0},
		"rest wildcard":  {"", "/repos/o/{rest...}", 2},
		"too short path": {"GET", "/repos/o", 0},
	} {
		if got := s.Count(tc.method, tc.pattern); got != tc.want {
			t.Errorf("%s: Count(%q, %q) = %d, want %d", name, tc.method, tc.pattern, got, tc.want)
		}
	}
	if w := s.Writes(); len(w) != 1 || w[0].Method != "POST" {
		t.Errorf("Writes() = %+v, want the POST", w)
	}
	s.Reset()
	if n := len(s.Requests()); n != 0 {
		t.Errorf("after Reset: %d requests", n)
	}
	if _, ok := s.Issue("o", "r", 1); !ok {
		t.Error("Reset dropped state")
	}
}

func TestPaginationLinks(t *testing.T) {
	t.Parallel()
	s := New(t)
	for i := range 5 {
		s.AddIssue("o", "r", Issue{Title: fmt.Sprintf("issue %d", i+1)})
	}
	c := s.Client()
	opts := &github.IssueListByRepoOptions{Direction: "asc", ListOptions: github.ListOptions{PerPage: 2}}
	var titles []string
	var pages []int
	for {
		is, resp, err := c.Issues.ListByRepo(ctx(t), "o", "r", opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range is {
			titles = append(titles, i.GetTitle())
		}
		pages = append(pages, resp.LastPage)
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	if diff := cmp.Diff([]string{"issue 1", "issue 2", "issue 3", "issue 4", "issue 5"}, titles); diff != "" {
		t.Errorf("titles (-want +got):\n%s", diff)
	}
	// LastPage is set while there is a next page, as GitHub omits rel="last" on the last page.
	if diff := cmp.Diff([]int{3, 3, 0}, pages); diff != "" {
		t.Errorf("last pages (-want +got):\n%s", diff)
	}
	if n := s.Count("GET", "/repos/o/r/issues"); n != 3 {
		t.Errorf("%d list requests, want 3", n)
	}
}

func TestClock(t *testing.T) {
	t.Parallel()
	s := New(t)
	start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	s.SetNow(start)
	a := s.AddIssue("o", "r", Issue{Title: "a"})
	s.Advance(time.Hour)
	b := s.AddIssue("o", "r", Issue{Title: "b"})
	if !a.CreatedAt.After(start) || b.CreatedAt.Sub(a.CreatedAt) < time.Hour {
		t.Errorf("created %v then %v, want after %v and an hour apart", a.CreatedAt, b.CreatedAt, start)
	}
}

func asErr(err error, target **github.ErrorResponse) bool { return errors.As(err, target) }

// cmpIgnoreTimes ignores the fake clock's timestamps in check runs.
var cmpIgnoreTimes = cmpopts.IgnoreFields(CheckRun{}, "StartedAt", "CompletedAt")
