package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/patch"
	"github.com/pindrift/pindrift/internal/report/fixreport"
)

// fixedManifests is what threeManifests' files hold once fixed: the
// stale rootfs literal of images.py and the stale initrd one of
// pins.json rewritten, pins.yaml unchanged.
func fixedManifests(t *testing.T, files []string) []string {
	t.Helper()
	k, r, i := hexSum(kernelBytes), hexSum(rootfsBytes), hexSum(initrdBytes)
	var want []string
	for n, f := range files {
		text := readString(t, f)
		switch n {
		case 0:
			text = strings.Replace(text, `"sha256": "`+stale+`"`, `"sha256": "`+r+`"`, 1)
		case 1:
			text = strings.Replace(text, `"sha256": "`+stale+`"`, `"sha256": "`+i+`"`, 1)
		}
		if n < 2 && !strings.Contains(text, k) {
			t.Fatalf("%s does not pin the kernel", f)
		}
		want = append(want, text)
	}
	return want
}

// TestFixWritesSeveralFiles: one verification, then each file's drifted
// literals rewritten in place; the file without drift is not touched.
func TestFixWritesSeveralFiles(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	_, files := threeManifests(t, srv.URL)
	want := fixedManifests(t, files)
	yamlInfo, err := os.Stat(files[2])
	if err != nil {
		t.Fatal(err)
	}

	code, out, errOut := runBot(t, append([]string{"fix", "--quiet", "--allow-private-network", "--write"}, files...)...)
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for n, f := range files {
		if diff := cmp.Diff(want[n], readString(t, f)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", f, diff)
		}
	}
	if fi, err := os.Stat(files[2]); err != nil || !fi.ModTime().Equal(yamlInfo.ModTime()) {
		t.Errorf("the file without drift was rewritten")
	}
	for _, w := range []string{"==> " + files[0] + "\nfixed " + files[0] + ":8:19", "wrote " + files[0],
		"==> " + files[1] + "\nfixed " + files[1] + ":8:15", "wrote " + files[1], "==> " + files[2] + "\nnothing to fix"} {
		if !strings.Contains(out, w) {
			t.Errorf("stdout lacks %q:\n%s", w, out)
		}
	}
	if !strings.Contains(errOut, "2 of 2 drifted pins fixed by 2 literal changes") {
		t.Errorf("stderr does not count the fixes over both files:\n%s", errOut)
	}
	if n := srv.requests("/kernel"); n != 1 {
		t.Errorf("the kernel, pinned in two files, was fetched %d times, want 1", n)
	}
}

// TestFixSeveralFilesFromReport: bot fix --report reads back the
// several-file document of bot check and fixes every file from it,
// fetching nothing.
func TestFixSeveralFilesFromReport(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	_, files := threeManifests(t, srv.URL)
	want := fixedManifests(t, files)
	rf := filepath.Join(t.TempDir(), "report.json")
	args := append([]string{"check", "--quiet", "--allow-private-network", "--json-file", rf}, files...)
	if code, _, errOut := runBot(t, args...); code != exitDrift {
		t.Fatalf("check: exit %d, want %d\n%s", code, exitDrift, errOut)
	}
	fetched := srv.requests("/kernel") + srv.requests("/rootfs") + srv.requests("/initrd")

	code, out, errOut := runBot(t, append([]string{"fix", "--report", rf, "--write", "--json"}, files...)...)
	if code != exitOK {
		t.Fatalf("fix: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for n, f := range files {
		if diff := cmp.Diff(want[n], readString(t, f)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", f, diff)
		}
	}
	if n := srv.requests("/kernel") + srv.requests("/rootfs") + srv.requests("/initrd"); n != fetched {
		t.Errorf("fix --report fetched %d assets", n-fetched)
	}
	var doc fixreport.FilesDocument
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("--json is not one document: %v\n%s", err, out)
	}
	type fileFix struct {
		File    string
		Verdict patch.Verdict
		Fixed   int
	}
	var got []fileFix
	for _, d := range doc.Files {
		got = append(got, fileFix{d.File, d.Verdict, d.Fixed})
	}
	wantFiles := []fileFix{{files[0], patch.VerdictComplete, 1}, {files[1], patch.VerdictComplete, 1}, {files[2], patch.VerdictClean, 0}}
	if diff := cmp.Diff(wantFiles, got); diff != "" || !doc.Complete || !strings.Contains(doc.Applied, "wrote "+files[1]) {
		t.Errorf("files (-want +got):\n%s\ncomplete %v, applied %q", diff, doc.Complete, doc.Applied)
	}
}

// TestFixCommitsSeveralFiles: --commit makes one commit changing every
// drifted file, on the fix branch.
func TestFixCommitsSeveralFiles(t *testing.T) {
	checkEnv(t)
	t.Setenv("PINDRIFT_GIT_AUTHOR", "")
	srv := newAssetServer(t)
	dir, files := threeManifests(t, srv.URL)
	want := fixedManifests(t, files)
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, err := wt.Add(filepath.Base(f)); err != nil {
			t.Fatal(err)
		}
	}
	sig := &object.Signature{Name: "dev", Email: "dev@example.com", When: time.Unix(1700000000, 0)}
	orig, err := wt.Commit("add manifests", &git.CommitOptions{Author: sig})
	if err != nil {
		t.Fatal(err)
	}

	args := append([]string{"fix", "--quiet", "--allow-private-network", "--repo", dir, "--branch", "pindrift/fix", "--commit"}, files...)
	code, out, errOut := runBot(t, args...)
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	ref, err := repo.Reference(plumbing.NewBranchReferenceName("pindrift/fix"), true)
	if err != nil {
		t.Fatal(err)
	}
	commit, err := repo.CommitObject(ref.Hash())
	if err != nil {
		t.Fatal(err)
	}
	if len(commit.ParentHashes) != 1 || commit.ParentHashes[0] != orig {
		t.Errorf("fix commit's parents are %v, want [%s]: one commit for all files", commit.ParentHashes, orig)
	}
	for n, f := range files {
		cf, err := commit.File(filepath.Base(f))
		if err != nil {
			t.Fatal(err)
		}
		got, err := cf.Contents()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want[n], got); diff != "" {
			t.Errorf("committed %s (-want +got):\n%s", filepath.Base(f), diff)
		}
	}
	for _, w := range []string{"Update 2 SHA-256 pins in 2 files to the bytes now published\n\n",
		"- " + files[0] + ":8:19: " + stale[:12] + " -> ", "(`rootfs`)\n", "- " + files[1] + ":8:15: ", "(`initrd`)\n"} {
		if !strings.Contains(commit.Message, w) {
			t.Errorf("commit message lacks %q:\n%s", w, commit.Message)
		}
	}
	if !strings.Contains(out, "on branch pindrift/fix") {
		t.Errorf("stdout does not report the commit:\n%s", out)
	}
}

// TestFixSeveralFilesRefusesDirty: --commit checks every file before
// fetching anything.
func TestFixSeveralFilesRefusesDirty(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	_, file, _ := gitRepo(t, entry{srv.URL + "/kernel", stale})
	dirty := filepath.Join(filepath.Dir(file), "pins.yaml")
	if err := os.WriteFile(dirty, []byte("rootfs:\n  url: "+srv.URL+"/rootfs\n  sha256: "+stale+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runBot(t, "fix", "--quiet", "--allow-private-network", "--repo", filepath.Dir(file),
		"--branch", "pindrift/fix", "--commit", file, dirty)
	if code != exitBadInput || !strings.Contains(errOut, "pins.yaml is not committed") {
		t.Errorf("exit %d, stderr %q; want 3 naming the uncommitted file", code, errOut)
	}
	if n := srv.requests("/kernel"); n != 0 {
		t.Errorf("%d downloads before refusing", n)
	}
}

// TestFixSeveralFilesDiffAndUnreadable: without --write the diffs of the
// changed files follow one another and no file changes; a file that
// cannot be read is named on stderr, the others are still fixed, and the
// run exits 3.
func TestFixSeveralFilesDiffAndUnreadable(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	_, files := threeManifests(t, srv.URL)
	before := []string{readString(t, files[0]), readString(t, files[1]), readString(t, files[2])}
	missing := filepath.Join(filepath.Dir(files[0]), "nope.py")

	code, out, errOut := runBot(t, append([]string{"fix", "--quiet", "--allow-private-network"}, files...)...)
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstderr:\n%s", code, errOut)
	}
	first, second := strings.Index(out, "--- "+files[0]+"\tpinned\n"), strings.Index(out, "--- "+files[1]+"\tpinned\n")
	if first != 0 || second <= first || strings.Contains(out, files[2]) {
		t.Errorf("want the diff of %s, then of %s, and none of %s:\n%s", files[0], files[1], files[2], out)
	}
	for n, f := range files {
		if readString(t, f) != before[n] {
			t.Errorf("printing the diffs changed %s", f)
		}
	}

	want := fixedManifests(t, files)[0]
	code, out, errOut = runBot(t, "fix", "--quiet", "--allow-private-network", "--write", files[0], missing)
	if code != exitBadInput {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitBadInput, out, errOut)
	}
	if !strings.Contains(errOut, "bot: not fixed: open "+missing) || !strings.Contains(out, "wrote "+files[0]) {
		t.Errorf("want the missing file named on stderr and the other written\nstdout:\n%s\nstderr:\n%s", out, errOut)
	}
	if readString(t, files[0]) != want || want == before[0] {
		t.Errorf("%s was not fixed:\n%s", files[0], readString(t, files[0]))
	}
}
