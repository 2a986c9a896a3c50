package demo

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestStory runs the whole demo and checks what a user reads in it and what
// the App did on the fake GitHub.
func TestStory(t *testing.T) {
	var out bytes.Buffer
	wd, err := run(context.Background(), &out, Options{})
	if err != nil {
		t.Fatalf("demo failed: %v\noutput:\n%s", err, out.String())
	}
	story := out.String()

	t.Run("headings", func(t *testing.T) {
		var got []string
		for _, l := range strings.Split(story, "\n") {
			if len(l) > 2 && l[0] >= '1' && l[0] <= '9' && l[1] == '.' {
				got = append(got, l)
			}
		}
		want := []string{
			"1. The release is published and every pin matches",
			"2. A release asset is re-uploaded with different bytes",
			"3. The tracking issue",
			"4. The fix pull request, for a human to review",
			"5. GitHub announces the pull request; the App checks it",
			"6. The original bytes are uploaded again: the issue and the pull request close",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("headings (-want +got):\n%s", diff)
		}
	})

	oldSHA, newSHA := sha(drifting.original), sha(drifting.rebuilt)
	section := func(from, to string) string {
		_, rest, ok := strings.Cut(story, from)
		if !ok {
			t.Fatalf("the story has no %q:\n%s", from, story)
		}
		s, _, _ := strings.Cut(rest, to)
		return s
	}

	t.Run("tracking issue", func(t *testing.T) {
		issue := section("3. The tracking issue", "4. ")
		for _, want := range []string{
			"#1 open  Release assets no longer match their pinned SHA-256",
			"## 1 release asset no longer matches the SHA-256 pinned in `src/images/published.py`",
			"- Asset: `ubuntu-rootfs-amd64.ext4.zst`, `images-2026.06.14.0`",
			"Pinned → live: `" + oldSHA[:12] + "` → `" + newSHA[:12] + "`",
			"pinned   " + oldSHA,
			"live     " + newSHA,
			"review #2",
		} {
			if !strings.Contains(issue, want) {
				t.Errorf("the issue does not show %q:\n%s", want, issue)
			}
		}
		// What GitHub hides stays hidden.
		for _, hidden := range []string{"<!--", "pindrift:state", "<details>", "](http"} {
			if strings.Contains(issue, hidden) {
				t.Errorf("the issue shows %q:\n%s", hidden, issue)
			}
		}
	})

	t.Run("fix PR diff", func(t *testing.T) {
		var changed []string
		for _, l := range strings.Split(section("Files changed", "5. "), "\n") {
			l = strings.TrimPrefix(l, "     ")
			if (strings.HasPrefix(l, "-") || strings.HasPrefix(l, "+")) && !strings.HasPrefix(l, "---") && !strings.HasPrefix(l, "+++") {
				changed = append(changed, l)
			}
		}
		want := []string{
			`-    ("ubuntu", "amd64"): image("ubuntu", "amd64", "` + oldSHA + `"),`,
			`+    ("ubuntu", "amd64"): image("ubuntu", "amd64", "` + newSHA + `"),`,
		}
		if diff := cmp.Diff(want, changed); diff != "" {
			t.Errorf("changed lines of the fix PR (-want +got):\n%s", diff)
		}
		if !strings.Contains(story, "#2 open  Update the SHA-256 pin of `ubuntu-rootfs-amd64.ext4.zst` to the bytes now published") {
			t.Error("the fix PR's title is not shown")
		}
	})

	t.Run("check run", func(t *testing.T) {
		check := section("5. ", "6. ")
		for _, want := range []string{
			"pindrift success  All 3 pinned assets match their SHA-256",
			"`src/images/published.py`: 3 ok, 0 drift",
		} {
			if !strings.Contains(check, want) {
				t.Errorf("the check run does not show %q:\n%s", want, check)
			}
		}
	})

	t.Run("closing", func(t *testing.T) {
		closing := section("6. ", "Done in")
		for _, want := range []string{
			"#1 closed  Release assets no longer match their pinned SHA-256",
			"closed as completed by pindrift[bot]",
			"Every pin verifies again at",
			"#2 closed  Update the SHA-256 pin",
			"closed without merging; branch pindrift/resync deleted",
			"Every pin verifies again without this change, so it is no longer needed.",
		} {
			if !strings.Contains(closing, want) {
				t.Errorf("the closing does not show %q:\n%s", want, closing)
			}
		}
	})

	t.Run("writes on GitHub", func(t *testing.T) {
		var got []string
		for _, r := range wd.gh.Writes() {
			if strings.HasSuffix(r.Path, "/access_tokens") { // authentication, not an effect
				continue
			}
			got = append(got, r.Method+" "+r.Path)
		}
		want := []string{
			// the drift: a label, the issue, the fix commit on the App's branch, the PR, the issue linked to it
			"POST /repos/acme/images/labels",
			"POST /repos/acme/images/issues",
			"POST /repos/acme/images/git/blobs",
			"POST /repos/acme/images/git/trees",
			"POST /repos/acme/images/git/commits",
			"POST /repos/acme/images/git/refs",
			"POST /repos/acme/images/pulls",
			"PATCH /repos/acme/images/issues/1",
			// the PR's check
			"POST /repos/acme/images/check-runs",
			// the original bytes back: both close with a comment, the branch goes
			"POST /repos/acme/images/issues/1/comments",
			"PATCH /repos/acme/images/issues/1",
			"POST /repos/acme/images/issues/2/comments",
			"PATCH /repos/acme/images/pulls/2",
			"DELETE /repos/acme/images/git/refs/heads/pindrift/resync",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("writes to GitHub (-want +got):\n%s", diff)
		}
		if err := wd.tb.Err(); err != nil {
			t.Errorf("the fake GitHub recorded failures: %v", err)
		}
	})

	t.Run("plain and tidy", func(t *testing.T) {
		if strings.Contains(story, "\x1b[") {
			t.Error("the story has ANSI escapes without Color")
		}
		if _, err := os.Stat(wd.dir); !os.IsNotExist(err) {
			t.Errorf("the temporary folder %s is still there (Stat: %v)", wd.dir, err)
		}
	})
}

func TestKeepLeavesTheFolder(t *testing.T) {
	var out bytes.Buffer
	wd, err := run(context.Background(), &out, Options{Keep: true, Color: true})
	if err != nil {
		t.Fatalf("demo failed: %v\noutput:\n%s", err, out.String())
	}
	t.Cleanup(func() { os.RemoveAll(wd.dir) })
	if !strings.Contains(out.String(), "Kept "+wd.dir) {
		t.Errorf("the output does not say where the folder is:\n%s", out.String())
	}
	for _, f := range []string{"pindrift.yml", "pindrift.db", "issue-1.md", "pr-2.md"} {
		if _, err := os.Stat(filepath.Join(wd.dir, f)); err != nil {
			t.Errorf("kept folder: %v", err)
		}
	}
	if !strings.Contains(out.String(), "\x1b[1;34m1. The release is published") {
		t.Error("Color does not style the headings")
	}
}

// TestJobsNotFinishingFail: a wait that runs out ends the demo with an
// error saying what it waited for.
func TestJobsNotFinishingFail(t *testing.T) {
	var out bytes.Buffer
	_, err := run(context.Background(), &out, Options{Timeout: time.Nanosecond})
	if err == nil {
		t.Fatalf("the demo succeeded without waiting for the App:\n%s", out.String())
	}
	if want := "after the release published webhook: the App's jobs did not finish within 1ns"; !strings.Contains(err.Error(), want) {
		t.Errorf("error = %q, want it to contain %q", err, want)
	}
}

// TestUnexpectedRequestFails: a request the fake GitHub does not know fails
// the demo and is named in the error, even when the step itself went well.
func TestUnexpectedRequestFails(t *testing.T) {
	strayRequest := func(wd *world, ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, wd.gh.APIURL()+"repos/acme/images/nonsense", nil)
		if err != nil {
			return err
		}
		resp, err := (&http.Client{}).Do(req)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}
	var out bytes.Buffer
	_, err := run(context.Background(), &out, Options{}, strayRequest, (*world).published)
	if err == nil {
		t.Fatalf("the demo succeeded despite an unexpected request:\n%s", out.String())
	}
	if want := "fake GitHub: ghfake: unexpected request GET /api-v3/repos/acme/images/nonsense"; !strings.Contains(err.Error(), want) {
		t.Errorf("error = %q, want it to contain %q", err, want)
	}
	if strings.Contains(out.String(), "1. The release is published") {
		t.Error("the demo went on after the unexpected request")
	}
}
