package ghfake

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

func TestCheckRuns(t *testing.T) {
	t.Parallel()
	s := New(t)
	head := s.SetFile("o", "r", "main", "f", "1", "alice")
	c := s.Client()
	cx := ctx(t)
	cr, resp, err := c.Checks.CreateCheckRun(cx, "o", "r", github.CreateCheckRunOptions{Name: "pindrift", HeadSHA: head,
		Status: github.String("in_progress")})
	if err != nil || resp.StatusCode != http.StatusCreated || cr.GetStatus() != "in_progress" {
		t.Fatalf("CreateCheckRun = %+v, %v", cr, err)
	}
	ann := func(line int) *github.CheckRunAnnotation {
		return &github.CheckRunAnnotation{Path: github.String("pins.py"), StartLine: github.Int(line), EndLine: github.Int(line),
			AnnotationLevel: github.String("failure"), Message: github.String("drift")}
	}
	for _, line := range []int{3, 7} {
		_, _, err := c.Checks.UpdateCheckRun(cx, "o", "r", cr.GetID(), github.UpdateCheckRunOptions{Name: "pindrift",
			Conclusion: github.String("failure"), Output: &github.CheckRunOutput{Title: github.String("1 pin drifted"),
				Summary: github.String("s"), Annotations: []*github.CheckRunAnnotation{ann(line)}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	got := s.CheckRuns("o", "r", "main")
	want := []CheckRun{{ID: cr.GetID(), Name: "pindrift", HeadSHA: head, Status: "completed", Conclusion: "failure",
		Output: CheckRunOutput{Title: "1 pin drifted", Summary: "s", Annotations: []Annotation{
			{Path: "pins.py", StartLine: 3, EndLine: 3, Level: "failure", Message: "drift"},
			{Path: "pins.py", StartLine: 7, EndLine: 7, Level: "failure", Message: "drift"}}}}}
	if diff := cmp.Diff(want, got, cmpIgnoreTimes); diff != "" {
		t.Errorf("check runs (-want +got):\n%s", diff)
	}
	second, _, err := c.Checks.CreateCheckRun(cx, "o", "r", github.CreateCheckRunOptions{Name: "pindrift", HeadSHA: head,
		Conclusion: github.String("success")})
	if err != nil || second.GetStatus() != "completed" {
		t.Fatalf("second run = %+v, %v", second, err)
	}
	for name, tc := range map[string]struct {
		filter string
		want   []int64
	}{
		"latest by default": {"", []int64{second.GetID()}},
		"all":               {"all", []int64{second.GetID(), cr.GetID()}},
	} {
		res, _, err := c.Checks.ListCheckRunsForRef(cx, "o", "r", "main", &github.ListCheckRunsOptions{Filter: github.String(tc.filter)})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, r := range res.CheckRuns {
			ids = append(ids, r.GetID())
		}
		if diff := cmp.Diff(tc.want, ids); diff != "" || res.GetTotal() != len(tc.want) {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	if _, _, err := c.Checks.CreateCheckRun(cx, "o", "r", github.CreateCheckRunOptions{Name: "x",
		HeadSHA: "0000000000000000000000000000000000000000"}); status(err) != http.StatusUnprocessableEntity {
		t.Errorf("run on an unknown commit: %v, want 422", err)
	}
	if _, _, err := c.Checks.CreateCheckRun(cx, "o", "r", github.CreateCheckRunOptions{Name: "x", HeadSHA: head,
		Status: github.String("completed")}); status(err) != http.StatusUnprocessableEntity {
		t.Errorf("completed without conclusion: %v, want 422", err)
	}
}
