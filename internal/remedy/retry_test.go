package remedy_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/remedy"
)

// TestClosingCommentsSurviveLostAnswers: GitHub posts the closing comment
// on the issue, and later the one on the PR, but both answers are lost
// (502). The job fails and is retried; each comment is on GitHub once, and
// the issue and the PR end closed.
func TestClosingCommentsSurviveLostAnswers(t *testing.T) {
	e := newEnv(t)
	first := e.run('c', 'b', prOn)
	if first.Issue == 0 || first.PR == 0 {
		t.Fatalf("first drift: %+v, want an issue and a PR", first)
	}
	for _, n := range []int{first.Issue, first.PR} {
		e.gh.Fail(ghfake.Failure{Method: http.MethodPost, Path: fmt.Sprintf("/repos/%s/%s/issues/%d/comments", owner, name, n),
			Status: http.StatusBadGateway, Applied: true})
	}
	tries := 0
	for ; tries < 5; tries++ {
		if _, err := e.runErr('a', 'b'); err == nil {
			break
		}
	}
	if e.gh.PendingFailures() != 0 || tries != 2 {
		t.Fatalf("after %d tries %d injected failures are left, want 2 tries and none", tries+1, e.gh.PendingFailures())
	}
	for _, n := range []int{first.Issue, first.PR} {
		var bodies []string
		for _, c := range e.gh.Comments(owner, name, n) {
			bodies = append(bodies, c.Body)
		}
		seen := map[string]int{}
		for _, b := range bodies {
			if seen[b]++; seen[b] > 1 {
				t.Errorf("#%d has the same comment twice: %q", n, b)
			}
		}
	}
	if is, _ := e.gh.Issue(owner, name, first.Issue); is.State != "closed" {
		t.Errorf("issue #%d is %s, want closed", first.Issue, is.State)
	}
	if pr, _ := e.gh.PullRequest(owner, name, first.PR); pr.State != "closed" {
		t.Errorf("PR #%d is %s, want closed", first.PR, pr.State)
	}
}

func (e *env) runErr(kernel, rootfs byte) (remedy.Result, error) {
	e.t.Helper()
	head, _ := e.gh.Ref(owner, name, "heads/main")
	return remedy.Run(context.Background(), remedy.Input{
		Repo: issues.Repo{Owner: owner, Name: name, WebURL: "https://github.com"}, DefaultBranch: "main", Commit: head,
		Files: []remedy.File{{Path: file, Source: []byte(src)}}, Report: e.report(map[string]string{kURL: hex(kernel), rURL: hex(rootfs)}),
		Assets: e.assets, Trigger: "nightly sweep", Time: e.clock, PR: prOn,
	}, e.ic, e.pc)
}
