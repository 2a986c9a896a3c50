package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/pindrift/pindrift/internal/report/fixreport"
)

var stale = strings.Repeat("1", 64)

// manifestText is what writeManifest writes for entries.
func manifestText(entries ...entry) string {
	var b strings.Builder
	b.WriteString("MANIFEST = {\n")
	for i, e := range entries {
		fmt.Fprintf(&b, "    \"a%d\": {\n        \"url\": %q,\n        \"sha256\": %q,\n    },\n", i, e.url, e.sha)
	}
	b.WriteString("}\n")
	return b.String()
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFixPrintsDiff(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	k, r := hexSum(kernelBytes), hexSum(rootfsBytes)
	file := writeManifest(t, entry{srv.URL + "/kernel", stale}, entry{srv.URL + "/rootfs", r})
	before := readString(t, file)

	code, out, errOut := runBot(t, "fix", "--quiet", "--allow-private-network", file)
	if code != exitOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s", code, errOut)
	}
	want := fmt.Sprintf(`--- %[1]s	pinned
+++ %[1]s	fixed
@@ -1,7 +1,7 @@
 MANIFEST = {
     "a0": {
         "url": "%[2]s/kernel",
-        "sha256": "%[3]s",
+        "sha256": "%[4]s",
     },
     "a1": {
         "url": "%[2]s/rootfs",
`, file, srv.URL, stale, k)
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("diff output (-want +got):\n%s", diff)
	}
	if !strings.Contains(errOut, "1 of 1 drifted pin fixed") {
		t.Errorf("stderr does not summarize the fix:\n%s", errOut)
	}
	if readString(t, file) != before {
		t.Error("printing the diff changed the file")
	}
}

func TestFixExitCodes(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	k, r := hexSum(kernelBytes), hexSum(rootfsBytes)
	shared := func(url1, url2 string) string {
		return fmt.Sprintf("SHARED = %q\nMANIFEST = {\n    \"a\": {\"url\": %q, \"sha256\": SHARED},\n    \"b\": {\"url\": %q, \"sha256\": SHARED},\n}\n",
			k, url1, url2)
	}
	tests := map[string]struct {
		manifest string
		extra    []string
		want     int
		wantOut  []string // on stdout
		wantErr  []string // on stderr
	}{
		"all ok: nothing to fix": {manifest: manifestText(entry{srv.URL + "/kernel", k}), want: exitOK},
		"ambiguous shared literal": {manifest: shared(srv.URL+"/kernel", srv.URL+"/rootfs"), want: exitPartial,
			wantErr: []string{"not fixed (ambiguous)", "images.py:1:10", srv.URL + "/rootfs is now " + r}},
		"not a literal": {manifest: fmt.Sprintf("H = %q\nMANIFEST = {\"a\": {\"url\": %q, \"sha256\": H + %q}}\n", stale[:32], srv.URL+"/rootfs", stale[32:]),
			want: exitPartial, wantErr: []string{"not fixed (not-literal)", "images.py:2:"}},
		"complete fix but a URL is missing": {manifest: manifestText(entry{srv.URL + "/rootfs", stale}, entry{srv.URL + "/nope", k}),
			want: exitPartial, wantOut: []string{"+        \"sha256\": \"" + r}, wantErr: []string{"1 URL or pin could not be verified"}},
		"syntax error":           {manifest: "MANIFEST = {\n", want: exitBadInput},
		"commit without branch":  {manifest: manifestText(entry{srv.URL + "/kernel", k}), extra: []string{"--commit"}, want: exitBadInput},
		"branch without commit":  {manifest: manifestText(entry{srv.URL + "/kernel", k}), extra: []string{"--branch", "x"}, want: exitBadInput},
		"report with fetch flag": {manifest: manifestText(entry{srv.URL + "/kernel", k}), extra: []string{"--report", "r.json", "--mode", "full"}, want: exitBadInput},
		"unreadable report": {manifest: manifestText(entry{srv.URL + "/kernel", k}), extra: []string{"--report", "/nonexistent/r.json"},
			want: exitBadInput, wantErr: []string{"unusable --report"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "images.py")
			if err := os.WriteFile(file, []byte(tc.manifest), 0o644); err != nil {
				t.Fatal(err)
			}
			args := append([]string{"fix", "--quiet", file}, tc.extra...)
			if !strings.Contains(strings.Join(tc.extra, " "), "--report") {
				args = append(args, "--allow-private-network")
			}
			code, out, errOut := runBot(t, args...)
			if code != tc.want {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.want, out, errOut)
			}
			for _, s := range tc.wantOut {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tc.wantErr {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errOut)
				}
			}
		})
	}
}

func TestFixFromReportWrites(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	k, r := hexSum(kernelBytes), hexSum(rootfsBytes)
	file := writeManifest(t, entry{srv.URL + "/kernel", stale}, entry{srv.URL + "/rootfs", r})
	if err := os.Chmod(file, 0o640); err != nil {
		t.Fatal(err)
	}
	code, report, errOut := runBot(t, "check", "--quiet", "--allow-private-network", "--json", file)
	if code != exitDrift {
		t.Fatalf("check exit %d, want 1: %s", code, errOut)
	}
	reportFile := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(reportFile, []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	fetched := srv.requests("/kernel") + srv.requests("/rootfs")

	code, out, errOut := runBot(t, "fix", "--report", reportFile, "--write", file)
	if code != exitOK {
		t.Fatalf("fix exit %d, want 0; stderr:\n%s", code, errOut)
	}
	if n := srv.requests("/kernel") + srv.requests("/rootfs"); n != fetched {
		t.Errorf("fix --report made %d requests; it should fetch nothing", n-fetched)
	}
	want := manifestText(entry{srv.URL + "/kernel", k}, entry{srv.URL + "/rootfs", r})
	if diff := cmp.Diff(want, readString(t, file)); diff != "" {
		t.Errorf("written file (-want +got):\n%s", diff)
	}
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v after --write, want 0640", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(file))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after --write, want only the manifest (a temporary file left behind?)", len(entries))
	}
	for _, s := range []string{"fixed " + file + ":4:19", "kernel", stale[:12] + "… → " + k[:12] + "…", "wrote " + file} {
		if !strings.Contains(out, s) {
			t.Errorf("summary lacks %q:\n%s", s, out)
		}
	}

	// Run again: the file now matches the report, so there is nothing to do.
	code, out, _ = runBot(t, "fix", "--report", reportFile, "--write", file)
	if code != exitOK || !strings.Contains(out, "nothing to fix") {
		t.Errorf("second run: exit %d, stdout %q; want 0 and nothing to fix", code, out)
	}
}

func TestFixReportRejectsMalformed(t *testing.T) {
	checkEnv(t)
	file := writeManifest(t, entry{"https://example.com/k", stale})
	tests := map[string]string{
		"not JSON":       "{",
		"no results":     `{"summary": {}}`,
		"drift, bad got": `{"results": [{"url": "https://example.com/k", "status": "drift", "got": "abc"}]}`,
		"unknown status": `{"results": [{"url": "https://example.com/k", "status": "fine", "got": ""}]}`,
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			rf := filepath.Join(t.TempDir(), "r.json")
			if err := os.WriteFile(rf, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, errOut := runBot(t, "fix", "--report", rf, file)
			if code != exitBadInput || !strings.Contains(errOut, "unusable --report") {
				t.Errorf("exit %d, stderr %q; want 3 and unusable --report", code, errOut)
			}
		})
	}
}

// gitRepo makes a repository whose one commit, on master, holds the
// manifest, and returns the manifest's path and that commit.
func gitRepo(t *testing.T, entries ...entry) (*git.Repository, string, plumbing.Hash) {
	t.Helper()
	file := writeManifest(t, entries...)
	repo, err := git.PlainInit(filepath.Dir(file), false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wt.Add("images.py"); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "dev", Email: "dev@example.com", When: time.Unix(1700000000, 0)}
	head, err := wt.Commit("add manifest", &git.CommitOptions{Author: sig})
	if err != nil {
		t.Fatal(err)
	}
	return repo, file, head
}

func TestFixCommits(t *testing.T) {
	checkEnv(t)
	t.Setenv("PINDRIFT_GIT_AUTHOR", "")
	srv := newAssetServer(t)
	k, r := hexSum(kernelBytes), hexSum(rootfsBytes)
	repo, file, orig := gitRepo(t, entry{srv.URL + "/kernel", stale}, entry{srv.URL + "/rootfs", r})

	code, out, errOut := runBot(t, "fix", "--quiet", "--allow-private-network", "--repo", filepath.Dir(file),
		"--branch", "pindrift/fix-kernel", "--commit", file)
	if code != exitOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s", code, errOut)
	}
	if !strings.Contains(out, "committed ") || !strings.Contains(out, "on branch pindrift/fix-kernel") {
		t.Errorf("stdout does not report the commit:\n%s", out)
	}

	master, err := repo.Reference(plumbing.NewBranchReferenceName("master"), true)
	if err != nil {
		t.Fatal(err)
	}
	if master.Hash() != orig {
		t.Errorf("master moved from %s to %s", orig, master.Hash())
	}
	ref, err := repo.Reference(plumbing.NewBranchReferenceName("pindrift/fix-kernel"), true)
	if err != nil {
		t.Fatalf("fix branch: %v", err)
	}
	commit, err := repo.CommitObject(ref.Hash())
	if err != nil {
		t.Fatal(err)
	}
	if len(commit.ParentHashes) != 1 || commit.ParentHashes[0] != orig {
		t.Errorf("fix commit's parents are %v, want [%s]", commit.ParentHashes, orig)
	}
	if commit.Author.Name != "pindrift" || commit.Author.Email != "pindrift@users.noreply.github.com" {
		t.Errorf("author %s <%s>, want the default", commit.Author.Name, commit.Author.Email)
	}
	f, err := commit.File("images.py")
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.Contents()
	if err != nil {
		t.Fatal(err)
	}
	want := manifestText(entry{srv.URL + "/kernel", k}, entry{srv.URL + "/rootfs", r})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("committed manifest (-want +got):\n%s", diff)
	}
	// The fix PR's message too (patch.CommitMessage).
	wantMsg := "Update the SHA-256 pin of `kernel` to the bytes now published\n\n" +
		"- " + file + ":4:19: " + stale[:12] + " -> " + k[:12] + " (`kernel`)\n" +
		"\nMade by pindrift from the digests of the live release assets.\n"
	if diff := cmp.Diff(wantMsg, commit.Message); diff != "" {
		t.Errorf("commit message (-want +got):\n%s", diff)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	st, err := wt.Status()
	if err != nil {
		t.Fatal(err)
	}
	if !st.IsClean() {
		t.Errorf("worktree not clean after the commit:\n%s", st)
	}
}

func TestFixCommitRefusesDirtyFile(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	r := hexSum(rootfsBytes)
	repo, file, orig := gitRepo(t, entry{srv.URL + "/kernel", stale}, entry{srv.URL + "/rootfs", r})
	dirty := readString(t, file) + "# local edit\n"
	if err := os.WriteFile(file, []byte(dirty), 0o644); err != nil {
		t.Fatal(err)
	}

	code, _, errOut := runBot(t, "fix", "--quiet", "--allow-private-network", "--repo", filepath.Dir(file),
		"--branch", "pindrift/fix", "--commit", file)
	if code != exitBadInput || !strings.Contains(errOut, "images.py has uncommitted changes") {
		t.Fatalf("exit %d, stderr %q; want 3 and uncommitted changes", code, errOut)
	}
	if n := srv.requests("/kernel"); n != 0 {
		t.Errorf("%d downloads before refusing; the dirty file should be refused first", n)
	}
	if _, err := repo.Reference(plumbing.NewBranchReferenceName("pindrift/fix"), true); err == nil {
		t.Error("the fix branch was created for a refused fix")
	}
	head, err := repo.Head()
	if err != nil {
		t.Fatal(err)
	}
	if head.Hash() != orig || head.Name() != plumbing.NewBranchReferenceName("master") {
		t.Errorf("HEAD is %s at %s, want master at %s", head.Name(), head.Hash(), orig)
	}
	if readString(t, file) != dirty {
		t.Error("the dirty file was changed")
	}
}

func TestFixCommitsOnExistingBranch(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	k := hexSum(kernelBytes)
	repo, file, orig := gitRepo(t, entry{srv.URL + "/kernel", stale})
	branch := plumbing.NewBranchReferenceName("pindrift/fix")
	if err := repo.Storer.SetReference(plumbing.NewHashReference(branch, orig)); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runBot(t, "fix", "--quiet", "--allow-private-network", "--repo", filepath.Dir(file),
		"--branch", "pindrift/fix", "--author", "Release Bot <bot@example.com>", "--commit", file)
	if code != exitOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s", code, errOut)
	}
	ref, err := repo.Reference(branch, true)
	if err != nil {
		t.Fatal(err)
	}
	commit, err := repo.CommitObject(ref.Hash())
	if err != nil {
		t.Fatal(err)
	}
	if len(commit.ParentHashes) != 1 || commit.ParentHashes[0] != orig {
		t.Errorf("parents %v, want [%s]", commit.ParentHashes, orig)
	}
	if commit.Author.Name != "Release Bot" || commit.Author.Email != "bot@example.com" {
		t.Errorf("author %s <%s>, want Release Bot <bot@example.com>", commit.Author.Name, commit.Author.Email)
	}
	if got := readString(t, file); got != manifestText(entry{srv.URL + "/kernel", k}) {
		t.Errorf("worktree file not fixed:\n%s", got)
	}
}

func TestFixJSON(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	k := hexSum(kernelBytes)
	file := writeManifest(t, entry{srv.URL + "/kernel", stale})
	code, out, errOut := runBot(t, "fix", "--quiet", "--allow-private-network", "--json", file)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	var doc fixreport.Document
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, out)
	}
	want := fixreport.Document{File: file, Verdict: "complete", Complete: true, Drifted: 1, Fixed: 1,
		Changes: []fixreport.Change{{Line: 4, Column: 19, Old: stale, New: k, URLs: []string{srv.URL + "/kernel"}, Paths: []string{`MANIFEST["a0"]`}}},
		Refused: []fixreport.Refusal{}}
	if diff := cmp.Diff(want, doc, cmpopts.IgnoreFields(fixreport.Document{}, "Diff")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !strings.Contains(doc.Diff, "+        \"sha256\": \""+k) {
		t.Errorf("diff field lacks the fix:\n%s", doc.Diff)
	}
}
