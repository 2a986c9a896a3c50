package fixpr

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/markdown/mdtest"
	"github.com/pindrift/pindrift/internal/patch"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
)

const fwURL = "https://github.com/acme/images/releases/download/v1/firmware.bin"

var (
	jsonSrc      = []byte(`{"assets": [{"url": "` + fwURL + `", "sha256": "` + hex('e') + `"}]}` + "\n")
	ambiguousSrc = []byte(`SHA = "` + hex('7') + `"
MANIFEST = {"x": {"url": "` + kURL + `", "sha256": SHA}, "y": {"url": "` + rURL + `", "sha256": SHA}}
`)
)

// fixesFor computes the fix of each file against the same live bytes:
// the kernel at kernel, the rootfs at rootfs, the firmware at firmware.
func fixesFor(t *testing.T, kernel, rootfs, firmware byte, files ...string) []*patch.Result {
	t.Helper()
	l := live(kernel, rootfs)
	st := verify.StatusOK
	if firmware != 'e' {
		st = verify.StatusDrift
	}
	l[fwURL] = patch.Live{URL: fwURL, Status: st, Digest: hex(firmware)}
	srcs := map[string][]byte{"images.py": src, "deploy/assets.json": jsonSrc, "shared.py": ambiguousSrc}
	var out []*patch.Result
	for _, f := range files {
		res, err := patch.Fix(context.Background(), f, srcs[f], pin.Options{}, l)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, res)
	}
	return out
}

func filesFacts(fixes []*patch.Result, unread ...string) Facts {
	f := facts(nil)
	f.Fixes, f.Unread = fixes, unread
	return f
}

// branchWith is the App's branch on base1 holding content by path.
func branchWith(fixes []*patch.Result, patched ...string) *Branch {
	b := &Branch{Head: "h1", Parent: "base1", OnlyApp: true, Files: map[string][]byte{}}
	for _, fx := range fixes {
		b.Files[fx.File] = fx.Original
		for _, p := range patched {
			if p == fx.File {
				b.Files[fx.File] = fx.Patched
			}
		}
	}
	return b
}

func TestDecideFiles(t *testing.T) {
	both := fixesFor(t, 'c', 'b', 'f', "images.py", "deploy/assets.json")
	jsonOnly := fixesFor(t, 'a', 'b', 'f', "images.py", "deploy/assets.json")
	withBlocked := fixesFor(t, 'c', '7', 'f', "shared.py", "deploy/assets.json")
	allBlocked := fixesFor(t, 'c', '7', 'e', "shared.py", "deploy/assets.json")
	pr := func(fixes []*patch.Result) *PR {
		return &PR{Number: 9, Title: patch.SubjectOf(fixes), Body: Body(filesFacts(fixes))}
	}
	tests := map[string]struct {
		facts    Facts
		ex       Existing
		want     string   // summary of the plan
		pushed   []string // the files of the push, in order
		notFixed string   // a part of NotFixed
	}{
		"two complete fixes: one commit with both files": {facts: filesFacts(both), want: "push create",
			pushed: []string{"images.py", "deploy/assets.json"}},
		"the branch holds both: nothing": {facts: filesFacts(both),
			ex: Existing{Branch: branchWith(both, "images.py", "deploy/assets.json"), PR: pr(both)}},
		"one file's drift resolved: a commit with the other alone": {facts: filesFacts(jsonOnly), want: "push update",
			ex: Existing{Branch: branchWith(both, "images.py", "deploy/assets.json"), PR: pr(both)}, pushed: []string{"deploy/assets.json"}},
		"one complete, one blocked: the complete one is fixed": {facts: filesFacts(withBlocked), want: "push create",
			pushed: []string{"deploy/assets.json"}, notFixed: "Not fixed in `shared.py`: `shared.py:1"},
		"every fix blocked: no PR":   {facts: filesFacts(allBlocked), ex: Existing{PR: &PR{Number: 9}}, want: "comment close blocked"},
		"an unread file is left out": {facts: filesFacts(jsonOnly, "ci/pins.yaml"), want: "push create", pushed: []string{"deploy/assets.json"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p := Decide(tc.facts, tc.ex, on)
			if got := summary(p); got != tc.want {
				t.Errorf("plan %q, want %q (%+v)", got, tc.want, p)
			}
			var pushed []string
			if p.Push != nil {
				for _, f := range p.Push.Files {
					pushed = append(pushed, f.Path)
					for _, fx := range tc.facts.Fixes {
						if fx.File == f.Path && string(f.Content) != string(fx.Patched) {
							t.Errorf("pushed %s is not its fix", f.Path)
						}
					}
				}
			}
			if diff := cmp.Diff(tc.pushed, pushed); diff != "" {
				t.Errorf("pushed files (-want +got):\n%s", diff)
			}
			if !strings.Contains(p.NotFixed, tc.notFixed) || (tc.notFixed == "") != (p.NotFixed == "") {
				t.Errorf("NotFixed %q, want it to hold %q", p.NotFixed, tc.notFixed)
			}
		})
	}
}

// TestImmutableReleaseBlocksEveryFile: changed bytes in an immutable
// release hold back the fix of every file, not only the file pinning them.
func TestImmutableReleaseBlocksEveryFile(t *testing.T) {
	f := filesFacts(fixesFor(t, 'c', 'b', 'f', "images.py", "deploy/assets.json"))
	f.Assets = map[string]issues.AssetFacts{kURL: {Name: "vmlinux", Immutable: true}}
	if p := Decide(f, Existing{}, on); p.Push != nil || p.CreatePR != nil || !strings.Contains(p.Blocked, "security review") {
		t.Fatalf("plan %+v; want no PR and a security reason", p)
	}
}

// TestBodyFilesGolden: the PR over several files lists the changes file
// by file and what it does not fix; testdata/pr_files.md, -update to
// rewrite.
func TestBodyFilesGolden(t *testing.T) {
	fixes := fixesFor(t, 'c', '7', 'f', "images.py", "shared.py", "deploy/assets.json")
	f := filesFacts(fixes, "ci/pins.yaml")
	f.Assets = map[string]issues.AssetFacts{
		kURL: {Name: "vmlinux", UploadedAt: time.Date(2026, 6, 14, 22, 17, 0, 0, time.UTC), Uploader: "release-bot"},
	}
	f.Attestations = map[string]Attestation{hex('c'): {Found: true, FromRepo: true, Workflow: ".github/workflows/kernel.yml"}}
	p := Decide(f, Existing{}, on)
	if p.CreatePR == nil || p.Push == nil {
		t.Fatalf("plan %+v, want a push and a PR", p)
	}
	got := "# " + p.CreatePR.Title + "\n\n" + p.CreatePR.Body + "\n---\ncommit message:\n\n" + p.Push.Message +
		"\n---\nnot fixed (for the tracking issue):\n\n" + p.NotFixed + "\n"
	path := filepath.Join("testdata", "pr_files.md")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-golden +got); if intended, rerun with -update:\n%s", path, diff)
	}
}

// TestBodyFilesIsInert: file paths full of Markdown, in the tables, the
// list of what is not fixed and the unread files, show as code.
func TestBodyFilesIsInert(t *testing.T) {
	h := mdtest.Hostile
	fixes := []*patch.Result{
		{File: h, Changes: []patch.Change{change(3, kURL)}, Verdict: patch.VerdictComplete},
		{File: "b.json", Changes: []patch.Change{change(1, rURL)}, Verdict: patch.VerdictComplete},
		{File: h + "2", Refused: []patch.Refusal{{Reason: patch.ReasonAmbiguous, Message: h}}, Verdict: patch.VerdictRefused},
	}
	body := Body(filesFacts(fixes, h+"3"))
	if probs := mdtest.Problems(body, "https://github.com/", "<!-- pindrift:", "<details><summary>Full digests", "</details>"); len(probs) != 0 {
		t.Errorf("body:\n%s\n%s", strings.Join(probs, "\n"), body)
	}
	doc := mdtest.Parse(body)
	for _, want := range []string{mdtest.HostileShown, mdtest.HostileShown + "3"} {
		if !doc.HasCode(want) {
			t.Errorf("the body does not show %q as code:\n%s", want, body)
		}
	}
}

// TestImmutableReleaseInABlockedFile: an immutable asset whose bytes
// changed holds back the PR even when it is pinned only in a file whose
// fix is blocked, and the PR would fix other files.
func TestImmutableReleaseInABlockedFile(t *testing.T) {
	fixes := fixesFor(t, 'c', '7', 'f', "shared.py", "deploy/assets.json")
	var blockedURLs []string
	for _, fx := range fixes {
		for _, r := range fx.Refused {
			for _, p := range r.Pins {
				blockedURLs = append(blockedURLs, p.URL)
			}
		}
	}
	if len(blockedURLs) == 0 {
		t.Fatal("shared.py's fix is not blocked; the test needs a refused literal")
	}
	f := filesFacts(fixes)
	f.Assets = map[string]issues.AssetFacts{blockedURLs[0]: {Name: "vmlinux", Immutable: true}}
	if p := Decide(f, Existing{}, on); p.Push != nil || p.CreatePR != nil || !strings.Contains(p.Blocked, "security review") {
		t.Fatalf("plan %+v; want no PR and a security reason", p)
	}
}
