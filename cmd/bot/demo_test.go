package main

import (
	"strings"
	"testing"
)

// TestDemo runs `bot demo` as a user would and checks its exit status and
// the lines that tell the story.
func TestDemo(t *testing.T) {
	code, stdout, stderr := runBot(t, "demo")
	if code != exitOK {
		t.Fatalf("bot demo exited %d\nstderr:\n%s\nstdout:\n%s", code, stderr, stdout)
	}
	for _, want := range []string{
		"2. A release asset is re-uploaded with different bytes",
		"#1 open  Release assets no longer match their pinned SHA-256",
		"+++ b/src/images/published.py",
		"pindrift success  All 3 pinned assets match their SHA-256",
		"closed as completed by pindrift[bot]",
		"closed without merging; branch pindrift/resync deleted",
		"none the fake did not know",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("bot demo's output lacks %q:\n%s", want, stdout)
		}
	}
	// Not a terminal: plain text, and the App's log stays quiet.
	if strings.Contains(stdout, "\x1b[") {
		t.Error("output to a non-terminal has ANSI escapes")
	}
	if stderr != "" {
		t.Errorf("stderr without --verbose:\n%s", stderr)
	}
}

func TestDemoVerboseShowsTheAppsLog(t *testing.T) {
	code, _, stderr := runBot(t, "demo", "--verbose")
	if code != exitOK {
		t.Fatalf("bot demo --verbose exited %d\nstderr:\n%s", code, stderr)
	}
	for _, want := range []string{"pindrift is serving", "verify enqueued", "pull request check enqueued"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("--verbose stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestDemoRejectsArguments(t *testing.T) {
	if code, _, stderr := runBot(t, "demo", "extra"); code != exitBadInput || !strings.Contains(stderr, "unknown command") && !strings.Contains(stderr, "accepts 0 arg") {
		t.Errorf("bot demo extra: exit %d, stderr %q; want a usage error", code, stderr)
	}
}
