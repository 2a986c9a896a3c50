package runner_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/markdown/mdtest"
	"github.com/pindrift/pindrift/internal/repoconfig"
	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/verify"
)

// openPR puts src on a branch as the manifest and opens a pull request
// from it; it returns the PR job.
func (e *env) openPR(branch, src string) runner.PRRequest {
	e.t.Helper()
	e.gh.CreateBranch(owner, name, branch, "main")
	head := e.gh.SetFile(owner, name, branch, file, src, "contributor")
	pr := e.gh.AddPullRequest(owner, name, ghfake.PullRequest{Title: "Bump", Head: branch, Base: "main", Author: "contributor"})
	return runner.PRRequest{InstallationID: 7, Owner: owner, Repo: name, Number: pr.Number, HeadSHA: head}
}

// checkPR runs the PR check and returns the one check run it posted.
func (e *env) checkPR(j runner.PRRequest) ghfake.CheckRun {
	e.t.Helper()
	if _, err := e.r.CheckPR(context.Background(), j); err != nil {
		e.t.Fatalf("CheckPR: %v", err)
	}
	runs := e.gh.CheckRuns(owner, name, j.HeadSHA)
	if len(runs) != 1 {
		e.t.Fatalf("%d check runs on the PR head, want 1", len(runs))
	}
	return runs[0]
}

// TestHugeURLStillFailsTheCheck: a pull request that adds a junk URL of
// 70,000 characters next to a wrong SHA cannot hide its failing check by
// pushing the check's text over GitHub's limit: the fake GitHub refuses
// what GitHub refuses, and the check is posted, with the URL shortened
// and the number of characters cut shown.
func TestHugeURLStillFailsTheCheck(t *testing.T) {
	e := newEnv(t, verify.ModeFull)
	junk := strings.Repeat("x", 70_000)
	src := strings.Replace(e.src, sum(rootfs), strings.Repeat("0", 64), 1)
	src = strings.Replace(src, "    },\n}", `    },
    "junk": {
        "kernel_url": f"{BASE}/{TAG}/`+junk+`",
        "kernel_sha256": "`+sum(kernelV1)+`",
    },
}`, 1)
	run := e.checkPR(e.openPR("junk", src))
	if run.Conclusion != "failure" {
		t.Errorf("conclusion %q, want failure", run.Conclusion)
	}
	out := run.Output
	for what, s := range map[string]string{"title": out.Title, "summary": out.Summary, "text": out.Text} {
		if n := utf8.RuneCountInString(s); n > 65535 {
			t.Errorf("%s is %d characters", what, n)
		}
	}
	if !strings.Contains(out.Text, "characters cut]") || strings.Contains(out.Text, junk) {
		t.Errorf("the junk URL is not shortened with a count of what was cut:\n%.2000s", out.Text)
	}
	if !strings.Contains(out.Text, strings.Repeat("0", 64)) {
		t.Errorf("the drift is missing from the text:\n%.2000s", out.Text)
	}
}

// manyPins is a manifest whose n entries pin the kernel with a wrong SHA,
// each on its own line.
func manyPins(e *env, n int, url func(i int) string) string {
	var b strings.Builder
	b.WriteString("BASE = \"" + e.gh.URL() + "/acme/images/releases/download\"\nTAG = \"" + tag + "\"\nMANIFEST = {\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "    \"k%d\": {\"kernel_url\": f\"{BASE}/{TAG}/%s\", \"kernel_sha256\": \"%064x\"},\n", i, url(i), i+1)
	}
	b.WriteString("}\n")
	return b.String()
}

// Test120DriftedPinsGive120Annotations: GitHub takes 50 annotations per
// request; 120 drifted pins give 120 annotations, in a create and two
// updates of the same check run.
func Test120DriftedPinsGive120Annotations(t *testing.T) {
	e := newEnv(t, verify.ModeFull)
	j := e.openPR("many", manyPins(e, 120, func(int) string { return "vmlinux" }))
	e.gh.Reset()
	run := e.checkPR(j)
	if n := len(run.Output.Annotations); n != 120 {
		t.Errorf("%d annotations, want 120", n)
	}
	lines := map[int]bool{}
	for _, a := range run.Output.Annotations {
		lines[a.StartLine] = true
	}
	if len(lines) != 120 {
		t.Errorf("annotations on %d distinct lines, want 120", len(lines))
	}
	creates := e.gh.Count("POST", "/repos/acme/images/check-runs")
	updates := e.gh.Count("PATCH", fmt.Sprintf("/repos/acme/images/check-runs/%d", run.ID))
	if creates != 1 || updates != 2 {
		t.Errorf("%d creates and %d updates, want 1 and 2", creates, updates)
	}
	if run.Conclusion != "failure" || run.Output.Title != "1 pinned asset no longer matches the live bytes" {
		t.Errorf("conclusion %q, title %q", run.Conclusion, run.Output.Title)
	}
}

// TestTooManyFindingsAreCounted: when the findings do not fit in the
// check's text, the text ends at GitHub's limit and the summary says how
// many were left out.
func TestTooManyFindingsAreCounted(t *testing.T) {
	e := newEnv(t, verify.ModeFull)
	// 150 distinct missing assets with 300-character names: about 150 KB
	// of findings, twice what the text may hold.
	j := e.openPR("lots", manyPins(e, 150, func(i int) string { return fmt.Sprintf("%03d-%s", i, strings.Repeat("n", 300)) }))
	run := e.checkPR(j)
	if n := utf8.RuneCountInString(run.Output.Text); n > 65535 || n < 60000 {
		t.Errorf("text is %d characters, want close to the limit and within it", n)
	}
	var left, total int
	if _, err := fmt.Sscanf(run.Output.Summary[strings.Index(run.Output.Summary, "\n\n")+2:], "%d of %d findings are not shown", &left, &total); err != nil || total != 150 || left <= 0 {
		t.Fatalf("summary does not count what was left out (%v):\n%s", err, run.Output.Summary)
	}
	if shown := strings.Count(run.Output.Text, "- **"); shown+left != 150 {
		t.Errorf("%d findings shown and %d counted as left out, want 150 in all", shown, left)
	}
	if !strings.Contains(run.Output.Text, fmt.Sprintf("and %d more findings", left)) {
		t.Errorf("text does not end with the count:\n…%s", run.Output.Text[len(run.Output.Text)-300:])
	}
}

// TestCheckRunIsInert: an asset name, a URL and a manifest path full of
// Markdown render as code in the check run: no mention, no reference, no
// HTML, no link, and the rest of the text keeps its shape.
func TestCheckRunIsInert(t *testing.T) {
	e := newEnv(t, verify.ModeFull)
	hostile := "`` @alice #1 <img src=x onerror=alert(1)> [x](javascript:alert(1)) a|b\\n@bob"
	// The drifted rootfs is pinned under a hostile key (its path), and a
	// second entry has a hostile URL on the fake's host (missing).
	src := strings.Replace(e.src, sum(rootfs), strings.Repeat("0", 64), 1)
	src = strings.Replace(src, `"codex"`, `"`+hostile+`"`, 1)
	src = strings.Replace(src, "    },\n}", `    },
    "x": {
        "kernel_url": f"{BASE}/{TAG}/`+hostile+`",
        "kernel_sha256": "`+sum(kernelV1)+`",
    },
}`, 1)
	run := e.checkPR(e.openPR("hostile", src))
	for what, md := range map[string]string{"summary": run.Output.Summary, "text": run.Output.Text} {
		d := mdtest.Parse(md)
		for _, bad := range []string{"@alice", "@bob", "#1", "javascript:", "onerror"} {
			if d.ProseContains(bad) {
				t.Errorf("%s: %q outside code:\n%s", what, bad, md)
			}
		}
		if len(d.HTML) != 0 || len(d.Links) != 0 {
			t.Errorf("%s: HTML %q and links %q:\n%s", what, d.HTML, d.Links, md)
		}
	}
	d := mdtest.Parse(run.Output.Text)
	if !d.HasCode(`@alice #1 <img src=x onerror=alert(1)> [x](javascript:alert(1)) a|b\n@bob`) {
		t.Errorf("the hostile text is not shown as code:\n%s", run.Output.Text)
	}
}

// TestConfigErrorCommentIsInert: the comment that explains an invalid
// configuration quotes the error, which quotes the file; a line of ```
// in it cannot close the quote and let the rest mention people.
func TestConfigErrorCommentIsInert(t *testing.T) {
	e := newEnv(t, verify.ModeFull)
	e.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2})
	issue := e.run().Remedy.Issue
	e.settings = func() (*runner.Settings, error) {
		return nil, &repoconfig.Error{File: repoconfig.Path, Problems: []repoconfig.Problem{{Line: 3, Column: 5, Key: "x",
			Message: "unknown key\n```\n@alice see #1 <img src=x onerror=alert(1)>\n```"}}}
	}
	if _, err := e.r.VerifyRepo(context.Background(), runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name, Trigger: "nightly sweep"}); err != nil {
		t.Fatal(err)
	}
	comments := e.gh.Comments(owner, name, issue)
	if len(comments) == 0 {
		t.Fatal("no comment on the tracking issue")
	}
	body := comments[len(comments)-1].Body
	d := mdtest.Parse(body)
	if d.ProseContains("@alice") || d.ProseContains("#1") || len(d.HTML) != 1 /* the marker */ || !d.HasCode("@alice see #1") {
		t.Errorf("the error escaped its quote: prose %q, HTML %q:\n%s", d.Prose, d.HTML, body)
	}
}
