package fixpr

import (
	"context"
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/patch"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
)

func hex(c byte) string { return strings.Repeat(string(c), 64) }

const (
	kURL = "https://github.com/acme/images/releases/download/v1/vmlinux"
	rURL = "https://github.com/acme/images/releases/download/v1/rootfs.zst"
)

// src pins one kernel SHA shared by two rows and one rootfs SHA.
var src = []byte(`KERNEL_SHA = "` + hex('a') + `"
MANIFEST = {
    "x": {"kernel_url": "` + kURL + `", "kernel_sha256": KERNEL_SHA, "rootfs_url": "` + rURL + `", "rootfs_sha256": "` + hex('b') + `"},
    "y": {"kernel_url": "` + kURL + `", "kernel_sha256": KERNEL_SHA},
}
`)

func live(kernel, rootfs byte) map[string]patch.Live {
	st := func(pinned, got byte) verify.Status {
		if pinned == got {
			return verify.StatusOK
		}
		return verify.StatusDrift
	}
	return map[string]patch.Live{
		kURL: {URL: kURL, Status: st('a', kernel), Digest: hex(kernel)},
		rURL: {URL: rURL, Status: st('b', rootfs), Digest: hex(rootfs)},
	}
}

func fixFor(t *testing.T, l map[string]patch.Live) *patch.Result {
	t.Helper()
	res, err := patch.Fix(context.Background(), "images.py", src, pin.Options{}, l)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func facts(fix *patch.Result) Facts {
	return Facts{Repo: issues.Repo{Owner: "acme", Name: "images"}, DefaultBranch: "main", BaseCommit: "base1",
		Fixes: []*patch.Result{fix}, TrackingIssue: 7}
}

var on = Config{Enabled: true}

func TestDecide(t *testing.T) {
	clean := fixFor(t, live('a', 'b'))
	drift := fixFor(t, live('c', 'b'))
	drift2 := fixFor(t, live('c', 'd'))
	appBranch := func(fix *patch.Result, parent string) *Branch {
		return &Branch{Head: "h1", Parent: parent, OnlyApp: true, Files: map[string][]byte{"images.py": fix.Patched}}
	}
	openPR := func(fix *patch.Result) *PR {
		return &PR{Number: 9, Title: patch.Subject(fix), Body: Body(facts(fix))}
	}
	cases := map[string]struct {
		fix  *patch.Result
		ex   Existing
		cfg  Config
		want string // a summary of the plan
	}{
		"disabled":                        {fix: drift, cfg: Config{}, want: ""},
		"no drift, nothing there":         {fix: clean, cfg: on, want: ""},
		"no drift, PR open: close, clean": {fix: clean, cfg: on, ex: Existing{Branch: appBranch(drift, "base1"), PR: openPR(drift)}, want: "comment close delete"},
		"first drift: commit and PR":      {fix: drift, cfg: on, want: "push create"},
		"same drift again: nothing":       {fix: drift, cfg: on, ex: Existing{Branch: appBranch(drift, "base1"), PR: openPR(drift)}, want: ""},
		"drift grew: new commit, PR updated": {fix: drift2, cfg: on,
			ex: Existing{Branch: appBranch(drift, "base1"), PR: openPR(drift)}, want: "push update"},
		"default branch moved: rebuilt on it": {fix: drift, cfg: on,
			ex: Existing{Branch: appBranch(drift, "base0"), PR: openPR(drift)}, want: "push"},
		"a person committed to the branch: one comment, no push": {fix: drift2, cfg: on,
			ex: Existing{Branch: &Branch{Head: "h2", Parent: "h1", OnlyApp: false, Files: map[string][]byte{"images.py": []byte("theirs")}}, PR: openPR(drift)}, want: "comment update"},
		"a person committed, already noted: nothing": {fix: drift2, cfg: on,
			ex: Existing{Branch: &Branch{Head: "h2", OnlyApp: false}, PR: &PR{Number: 9, Body: "x\n" + handsOff}}, want: ""},
		"the branch is the default branch: blocked": {fix: drift, cfg: Config{Enabled: true, Branch: "main"}, want: "blocked"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			p := Decide(facts(c.fix), c.ex, c.cfg)
			if got := summary(p); got != c.want {
				t.Errorf("plan %q, want %q (%+v)", got, c.want, p)
			}
			if p.Push != nil && p.Push.Branch == "main" {
				t.Fatal("a push to the default branch was planned")
			}
		})
	}
}

// TestAmbiguousLiteralBlocksPR: one literal feeds two URLs whose live bytes
// now differ, so no PR is opened and the reason names the literal.
func TestAmbiguousLiteralBlocksPR(t *testing.T) {
	ambiguous := []byte(`SHA = "` + hex('a') + `"
MANIFEST = {"x": {"url": "` + kURL + `", "sha256": SHA}, "y": {"url": "` + rURL + `", "sha256": SHA}}
`)
	l := map[string]patch.Live{
		kURL: {URL: kURL, Status: verify.StatusDrift, Digest: hex('c')},
		rURL: {URL: rURL, Status: verify.StatusOK, Digest: hex('a')},
	}
	fix, err := patch.Fix(context.Background(), "images.py", ambiguous, pin.Options{}, l)
	if err != nil {
		t.Fatal(err)
	}
	p := Decide(facts(fix), Existing{PR: &PR{Number: 4}}, on)
	if p.Push != nil || p.CreatePR != nil {
		t.Fatalf("a PR was planned for an ambiguous fix: %+v", p)
	}
	if !strings.Contains(p.Blocked, "images.py:1") || p.ClosePR != 4 {
		t.Errorf("blocked %q, close %d; want the literal named and the stale PR closed", p.Blocked, p.ClosePR)
	}
}

// TestImmutableReleaseBlocksPR: changed bytes in an immutable release are
// a security matter; no PR offers to accept them.
func TestImmutableReleaseBlocksPR(t *testing.T) {
	fix := fixFor(t, live('c', 'b'))
	f := facts(fix)
	f.Assets = map[string]issues.AssetFacts{kURL: {Name: "vmlinux", Immutable: true}}
	p := Decide(f, Existing{}, on)
	if p.Push != nil || p.CreatePR != nil || !strings.Contains(p.Blocked, "security review") {
		t.Fatalf("plan %+v; want no PR and a security reason", p)
	}
}

func TestPushedContentIsTheFix(t *testing.T) {
	fix := fixFor(t, live('c', 'd'))
	p := Decide(facts(fix), Existing{}, Config{Enabled: true, Draft: true, Reviewers: []string{"maint"}})
	if p.Push == nil || len(p.Push.Files) != 1 || string(p.Push.Files[0].Content) != string(fix.Patched) || p.Push.Base != "base1" || p.Push.Files[0].Path != "images.py" {
		t.Fatalf("push = %+v", p.Push)
	}
	if !strings.Contains(p.Push.Message, "images.py:1") || !strings.Contains(p.Push.Message, "aaaaaaaaaaaa -> cccccccccccc") {
		t.Errorf("commit message does not list the change:\n%s", p.Push.Message)
	}
	if c := p.CreatePR; c == nil || !c.Draft || c.Reviewers[0] != "maint" || c.Head != DefaultBranch || c.Base != "main" {
		t.Errorf("create = %+v", p.CreatePR)
	}
	if !strings.Contains(p.CreatePR.Body, "Merging accepts the new bytes") || !strings.Contains(p.CreatePR.Body, "#7") {
		t.Errorf("PR body lacks the warning or the tracking issue link:\n%s", p.CreatePR.Body)
	}
}

func summary(p Plan) string {
	var parts []string
	if p.Push != nil {
		parts = append(parts, "push")
	}
	if p.CreatePR != nil {
		parts = append(parts, "create")
	}
	if p.Comment != nil {
		parts = append(parts, "comment")
	}
	if p.UpdatePR != nil {
		parts = append(parts, "update")
	}
	if p.ClosePR != 0 {
		parts = append(parts, "close")
	}
	if p.DeleteBranch != "" {
		parts = append(parts, "delete")
	}
	if p.Blocked != "" {
		parts = append(parts, "blocked")
	}
	return strings.Join(parts, " ")
}
