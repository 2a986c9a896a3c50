package fixpr

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/markdown/mdtest"
	"github.com/pindrift/pindrift/internal/patch"
	"github.com/pindrift/pindrift/internal/pin"
)

func change(line int, urls ...string) patch.Change {
	return patch.Change{Span: pin.Span{Line: line, Column: 14}, Old: hex('a'), New: hex('c'), URLs: urls}
}

// TestPRIsInert: an asset name and URL full of Markdown, an uploader that
// is no login and a workflow path with a backtick show as code in the PR
// body (the title and the commit message: patch's TestMessageIsInert).
func TestPRIsInert(t *testing.T) {
	h := mdtest.Hostile
	u := "https://github.com/acme/images/releases/download/v1/" + h
	fix := &patch.Result{File: "images.py", Changes: []patch.Change{change(3, u)}, Verdict: patch.VerdictComplete}
	f := facts(fix)
	f.Assets = map[string]issues.AssetFacts{u: {UploadedAt: time.Date(2026, 6, 14, 22, 17, 0, 0, time.UTC), Uploader: "@alice"}}
	f.Attestations = map[string]Attestation{hex('c'): {Found: true, FromRepo: true, Workflow: "a`|@bob"}}

	body := Body(f)
	if probs := mdtest.Problems(body, "https://github.com/", "<!-- pindrift:", "<details><summary>Full digests", "</details>"); len(probs) != 0 {
		t.Errorf("body:\n%s\n%s", strings.Join(probs, "\n"), body)
	}
	doc := mdtest.Parse(body)
	for _, want := range []string{mdtest.HostileShown, "@alice", "a`|@bob"} {
		if !doc.HasCode(want) {
			t.Errorf("the body does not show %q as code:\n%s", want, body)
		}
	}
}

// TestPRFitsGitHub: a 70,000-character URL and 400 rewritten literals
// give a body GitHub accepts, the body counting the literals it does not
// list (the title and the commit message: patch's TestMessageFitsGitHub).
func TestPRFitsGitHub(t *testing.T) {
	huge := "https://github.com/acme/images/releases/download/v1/" + strings.Repeat("x", 70_000)
	one := &patch.Result{File: "images.py", Changes: []patch.Change{change(1, huge)}, Verdict: patch.VerdictComplete}
	if b := Body(facts(one)); utf8.RuneCountInString(b) > 65536 || strings.Contains(b, strings.Repeat("x", 1000)) {
		t.Errorf("body of one huge asset is %d characters", utf8.RuneCountInString(b))
	}
	many := &patch.Result{File: "images.py", Verdict: patch.VerdictComplete}
	for i := 0; i < 400; i++ {
		many.Changes = append(many.Changes, change(i+1, fmt.Sprintf("https://github.com/acme/images/releases/download/v1/%03d-%s", i, strings.Repeat("n", 250))))
	}
	body := Body(facts(many))
	if n := utf8.RuneCountInString(body); n > 65536 {
		t.Errorf("body is %d characters", n)
	}
	var left int
	i := strings.Index(body, " more rewritten literals are not listed")
	if i < 0 {
		t.Fatalf("the body does not count what it left out:\n%.2000s", body)
	}
	if _, err := fmt.Sscanf(body[strings.LastIndex(body[:i], "_")+1:], "%d", &left); err != nil {
		t.Fatal(err)
	}
	if rows := strings.Count(body, "\n| ") - 1; rows+left != 400 || rows == 0 {
		t.Errorf("%d rows and %d left out, want 400 in all", rows, left)
	}
}
