package ghfake

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"
)

// TestLimits: what GitHub refuses for being too long, the fake refuses
// too, and what is just within the limit it takes.
func TestLimits(t *testing.T) {
	t.Parallel()
	s := New(t)
	head := s.SetFile("o", "r", "main", "f", "1", "alice")
	s.CreateBranch("o", "r", "fix", "main")
	s.SetFile("o", "r", "fix", "f", "2", "alice")
	c := s.Client()
	cx := ctx(t)
	str := func(n int) *string { v := strings.Repeat("é", n); return &v } // 2 bytes, 1 character
	output := func(summary, text *string, anns ...*github.CheckRunAnnotation) *github.CheckRunOutput {
		return &github.CheckRunOutput{Title: github.String("t"), Summary: summary, Text: text, Annotations: anns}
	}
	ann := func(title, message string) *github.CheckRunAnnotation {
		return &github.CheckRunAnnotation{Path: github.String("f"), StartLine: github.Int(1), EndLine: github.Int(1),
			AnnotationLevel: github.String("failure"), Title: &title, Message: &message}
	}
	many := make([]*github.CheckRunAnnotation, 51)
	for i := range many {
		many[i] = ann("t", "m")
	}
	check := func(out *github.CheckRunOutput) error {
		_, _, err := c.Checks.CreateCheckRun(cx, "o", "r", github.CreateCheckRunOptions{Name: "pindrift", HeadSHA: head,
			Conclusion: github.String("failure"), Output: out})
		return err
	}
	issue := func(title, body *string) error {
		_, _, err := c.Issues.Create(cx, "o", "r", &github.IssueRequest{Title: title, Body: body})
		return err
	}
	is, _, err := c.Issues.Create(cx, "o", "r", &github.IssueRequest{Title: github.String("t")})
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		do   func() error
		want int
	}{
		"summary at the limit":    {func() error { return check(output(str(65535), nil)) }, 0},
		"summary over the limit":  {func() error { return check(output(str(65536), nil)) }, http.StatusUnprocessableEntity},
		"text over the limit":     {func() error { return check(output(github.String("s"), str(70_000))) }, http.StatusUnprocessableEntity},
		"51 annotations":          {func() error { return check(output(github.String("s"), nil, many...)) }, http.StatusUnprocessableEntity},
		"50 annotations":          {func() error { return check(output(github.String("s"), nil, many[:50]...)) }, 0},
		"annotation title":        {func() error { return check(output(github.String("s"), nil, ann(*str(256), "m"))) }, http.StatusUnprocessableEntity},
		"annotation message 64KB": {func() error { return check(output(github.String("s"), nil, ann("t", *str(32 << 10)))) }, 0},
		"annotation message over": {func() error { return check(output(github.String("s"), nil, ann("t", *str(32 << 10)+"x"))) }, http.StatusUnprocessableEntity},
		"issue body at the limit": {func() error { return issue(github.String("t"), str(65536)) }, 0},
		"issue body over":         {func() error { return issue(github.String("t"), str(65537)) }, http.StatusUnprocessableEntity},
		"issue title over":        {func() error { return issue(str(257), nil) }, http.StatusUnprocessableEntity},
		"issue edit over": {func() error {
			_, _, err := c.Issues.Edit(cx, "o", "r", is.GetNumber(), &github.IssueRequest{Body: str(65537)})
			return err
		}, http.StatusUnprocessableEntity},
		"comment over": {func() error {
			_, _, err := c.Issues.CreateComment(cx, "o", "r", is.GetNumber(), &github.IssueComment{Body: str(65537)})
			return err
		}, http.StatusUnprocessableEntity},
		"pull request body over": {func() error {
			_, _, err := c.PullRequests.Create(cx, "o", "r", &github.NewPullRequest{Title: github.String("t"), Head: github.String("fix"),
				Base: github.String("main"), Body: str(65537)})
			return err
		}, http.StatusUnprocessableEntity},
	}
	for name, tc := range tests {
		if got := status(tc.do()); got != tc.want {
			t.Errorf("%s: status %d, want %d", name, got, tc.want)
		}
	}
}
