package patch

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/markdown/mdtest"
	"github.com/pindrift/pindrift/internal/pin"
)

func messageChange(line int, urls ...string) Change {
	return Change{Span: pin.Span{Line: line, Column: 14}, Old: o1, New: n1, URLs: urls}
}

func TestCommitMessage(t *testing.T) {
	t.Parallel()
	fix := &Result{File: "images.py", Verdict: VerdictComplete, Changes: []Change{
		messageChange(4, "https://github.com/acme/images/releases/download/v1/kernel"),
	}}
	want := "Update the SHA-256 pin of `kernel` to the bytes now published\n\n" +
		"- images.py:4:14: " + o1[:12] + " -> " + n1[:12] + " (`kernel`)\n" +
		"\nMade by pindrift from the digests of the live release assets.\n"
	if diff := cmp.Diff(want, CommitMessage(fix)); diff != "" {
		t.Errorf("commit message (-want +got):\n%s", diff)
	}
	fix.Changes = append(fix.Changes, messageChange(9, "https://github.com/acme/images/releases/download/v1/initrd"))
	if got, want := Subject(fix), "Update 2 SHA-256 pins in images.py to the bytes now published"; got != want {
		t.Errorf("subject of two changes %q, want %q", got, want)
	}
}

// TestMessageIsInert: in the subject (the PR's title) and the commit
// message, which GitHub shows as text but where it links #1 and @alice,
// an asset name full of Markdown links nothing.
func TestMessageIsInert(t *testing.T) {
	t.Parallel()
	u := "https://github.com/acme/images/releases/download/v1/" + mdtest.Hostile
	fix := &Result{File: "images.py", Changes: []Change{messageChange(3, u)}, Verdict: VerdictComplete}
	title, msg := Subject(fix), CommitMessage(fix)
	for what, s := range map[string]string{"title": title, "commit message": msg} {
		for _, bad := range []string{"@alice", "@bob", "#1"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s holds %q: %q", what, bad, s)
			}
		}
	}
	if strings.Contains(title, "\n") || utf8.RuneCountInString(title) > 256 {
		t.Errorf("title %q is not one line of at most 256 characters", title)
	}
	// The title shows the name as code whose fence the name cannot close.
	if !strings.HasPrefix(title, "Update the SHA-256 pin of ```a`b ``") {
		t.Errorf("title %q", title)
	}
}

// TestMessageFitsGitHub: a 70,000-character URL gives a subject GitHub
// accepts as a title, and 400 rewritten literals a bounded commit message.
func TestMessageFitsGitHub(t *testing.T) {
	t.Parallel()
	huge := "https://github.com/acme/images/releases/download/v1/" + strings.Repeat("x", 70_000)
	one := &Result{File: "images.py", Changes: []Change{messageChange(1, huge)}, Verdict: VerdictComplete}
	if n := utf8.RuneCountInString(Subject(one)); n > 256 {
		t.Errorf("title of one huge asset is %d characters", n)
	}
	many := &Result{File: "images.py", Verdict: VerdictComplete}
	for i := 0; i < 400; i++ {
		many.Changes = append(many.Changes, messageChange(i+1, fmt.Sprintf("https://github.com/acme/images/releases/download/v1/%03d-%s", i, strings.Repeat("n", 250))))
	}
	msg := CommitMessage(many)
	if n := utf8.RuneCountInString(msg); n > 65536 {
		t.Errorf("commit message is %d characters", n)
	}
	if !strings.Contains(msg, "- and 200 more\n") {
		t.Errorf("the commit message does not count the literals it leaves out:\n%.500s", msg)
	}
}

// TestMessageOfSeveralFiles: a fix across files names how many in its
// subject and lists every change under its file; a fix that changes one
// file (the others clean) reads exactly as that file's own.
func TestMessageOfSeveralFiles(t *testing.T) {
	t.Parallel()
	one := &Result{File: "a.py", Verdict: VerdictComplete, Changes: []Change{{Span: pin.Span{Line: 1, Column: 5}, Old: strings.Repeat("a", 64), New: strings.Repeat("c", 64), URLs: []string{"https://x/v1/k"}}}}
	two := &Result{File: "b.json", Verdict: VerdictComplete, Changes: []Change{{Span: pin.Span{Line: 3, Column: 9}, Old: strings.Repeat("b", 64), New: strings.Repeat("d", 64), URLs: []string{"https://x/v1/r"}}}}
	clean := &Result{File: "c.yaml", Verdict: VerdictClean}
	if got, want := SubjectOf([]*Result{one, clean}), Subject(one); got != want {
		t.Errorf("SubjectOf one changed file = %q, want %q", got, want)
	}
	if got, want := CommitMessageOf([]*Result{clean, one}), CommitMessage(one); got != want {
		t.Errorf("CommitMessageOf one changed file = %q, want %q", got, want)
	}
	if got, want := SubjectOf([]*Result{one, two, clean}), "Update 2 SHA-256 pins in 2 files to the bytes now published"; got != want {
		t.Errorf("SubjectOf = %q, want %q", got, want)
	}
	msg := CommitMessageOf([]*Result{one, two, clean})
	for _, want := range []string{"- a.py:1:5: aaaaaaaaaaaa -> cccccccccccc (`k`)\n", "- b.json:3:9: bbbbbbbbbbbb -> dddddddddddd (`r`)\n"} {
		if !strings.Contains(msg, want) {
			t.Errorf("commit message lacks %q:\n%s", want, msg)
		}
	}
}
