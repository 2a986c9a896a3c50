package ghfake

import (
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

// TestFixBranchFlow walks the calls a fix PR makes: read the base, write a
// tree and a commit on it, create the branch, read the file back.
func TestFixBranchFlow(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.AddRepo(Repo{Owner: "o", Name: "r"})
	base := s.SetFiles("o", "r", "main", map[string]string{"pins.py": "old\n", "docs/a.md": "a\n"}, "alice")
	c := s.Client()
	cx := ctx(t)

	ref, _, err := c.Git.GetRef(cx, "o", "r", "heads/main")
	if err != nil || ref.GetObject().GetSHA() != base || ref.GetRef() != "refs/heads/main" {
		t.Fatalf("GetRef = %+v, %v; want main at %s", ref, err, base)
	}
	baseCommit, _, err := c.Git.GetCommit(cx, "o", "r", base)
	if err != nil {
		t.Fatal(err)
	}
	if baseCommit.GetVerification().GetVerified() || baseCommit.GetAuthor().GetName() != "alice" {
		t.Errorf("seeded commit = %+v; want unverified, by alice", baseCommit)
	}
	tree, resp, err := c.Git.CreateTree(cx, "o", "r", baseCommit.GetTree().GetSHA(), []*github.TreeEntry{
		{Path: github.String("pins.py"), Mode: github.String("100644"), Type: github.String("blob"), Content: github.String("new\n")},
	})
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("CreateTree: %v", err)
	}
	commit, _, err := c.Git.CreateCommit(cx, "o", "r", &github.Commit{Message: github.String("pin: update"),
		Tree: tree, Parents: []*github.Commit{{SHA: github.String(base)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !commit.GetVerification().GetVerified() || commit.GetAuthor().GetName() != DefaultAppLogin ||
		len(commit.Parents) != 1 || commit.Parents[0].GetSHA() != base {
		t.Errorf("API commit = %+v; want verified, by the App, on %s", commit, base)
	}
	if _, _, err := c.Git.CreateRef(cx, "o", "r", &github.Reference{Ref: github.String("refs/heads/fix"),
		Object: &github.GitObject{SHA: commit.SHA}}); err != nil {
		t.Fatal(err)
	}
	fc, _, _, err := c.Repositories.GetContents(cx, "o", "r", "pins.py", &github.RepositoryContentGetOptions{Ref: "fix"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := fc.GetContent()
	if err != nil || got != "new\n" || fc.GetSHA() != gitHash("blob", []byte("new\n")) {
		t.Errorf("contents at fix = %q (sha %s), %v", got, fc.GetSHA(), err)
	}
	if got, _ := s.FileAt("o", "r", "fix", "docs/a.md"); got != "a\n" {
		t.Errorf("base_tree file lost: docs/a.md = %q", got)
	}
	if got, _ := s.FileAt("o", "r", "main", "pins.py"); got != "old\n" {
		t.Errorf("main changed: pins.py = %q", got)
	}
	if _, _, err := c.Git.CreateRef(cx, "o", "r", &github.Reference{Ref: github.String("refs/heads/fix"),
		Object: &github.GitObject{SHA: commit.SHA}}); status(err) != http.StatusUnprocessableEntity {
		t.Errorf("creating an existing ref: %v, want 422", err)
	}
}

func status(err error) int {
	var e *github.ErrorResponse
	if errors.As(err, &e) {
		return e.Response.StatusCode
	}
	return 0
}

func TestGitBlobSHAsMatchGit(t *testing.T) {
	t.Parallel()
	// `printf 'hello\n' | git hash-object --stdin`
	if got := gitHash("blob", []byte("hello\n")); got != "ce013625030ba8dba906f756967f9e9ca394464a" {
		t.Errorf("blob sha = %s", got)
	}
	s := New(t)
	rp := s.repoFor("o", "r")
	if got := rp.putTree(nil); got != emptyTreeSHA {
		t.Errorf("empty tree sha = %s", got)
	}
}

func TestContentsAndContentErrors(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.SetFiles("o", "r", "main", map[string]string{"a.txt": "A", "dir/b.txt": "B"}, "alice")
	c := s.Client()
	cx := ctx(t)
	_, dir, _, err := c.Repositories.GetContents(cx, "o", "r", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range dir {
		names = append(names, d.GetType()+":"+d.GetPath())
	}
	if diff := cmp.Diff([]string{"file:a.txt", "dir:dir"}, names); diff != "" {
		t.Errorf("root listing (-want +got):\n%s", diff)
	}
	for name, tc := range map[string]struct {
		path, ref string
		want      int
	}{
		"missing file": {"nope.txt", "", http.StatusNotFound},
		"missing ref":  {"a.txt", "nope", http.StatusNotFound},
	} {
		_, _, _, err := c.Repositories.GetContents(cx, "o", "r", tc.path, &github.RepositoryContentGetOptions{Ref: tc.ref})
		if status(err) != tc.want {
			t.Errorf("%s: err = %v, want status %d", name, err, tc.want)
		}
	}
	rc, _, err := c.Repositories.DownloadContents(cx, "o", "r", "dir/b.txt", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	buf := make([]byte, 10)
	n, _ := rc.Read(buf)
	if string(buf[:n]) != "B" {
		t.Errorf("download = %q", buf[:n])
	}
}

func TestUpdateRefHonoursForce(t *testing.T) {
	t.Parallel()
	s := New(t)
	first := s.SetFile("o", "r", "main", "f", "1", "alice")
	second := s.SetFile("o", "r", "main", "f", "2", "alice")
	s.CreateBranch("o", "r", "fix", first)
	other := s.SetFile("o", "r", "side", "f", "x", "bob") // branches from main
	c := s.Client()
	cx := ctx(t)
	ref := func(sha string) *github.Reference {
		return &github.Reference{Ref: github.String("refs/heads/fix"), Object: &github.GitObject{SHA: github.String(sha)}}
	}
	if _, _, err := c.Git.UpdateRef(cx, "o", "r", ref(second), false); err != nil {
		t.Fatalf("fast-forward: %v", err)
	}
	if _, _, err := c.Git.UpdateRef(cx, "o", "r", ref(first), false); status(err) != http.StatusUnprocessableEntity {
		t.Errorf("rewind without force: %v, want 422", err)
	}
	if _, _, err := c.Git.UpdateRef(cx, "o", "r", ref(other), true); err != nil {
		t.Errorf("forced update: %v", err)
	}
	if got, _ := s.Ref("o", "r", "fix"); got != other {
		t.Errorf("fix at %s, want %s", got, other)
	}
	if _, err := c.Git.DeleteRef(cx, "o", "r", "heads/fix"); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Ref("o", "r", "refs/heads/fix"); ok {
		t.Error("fix still exists after DeleteRef")
	}
	if _, err := c.Git.DeleteRef(cx, "o", "r", "heads/fix"); status(err) != http.StatusUnprocessableEntity {
		t.Errorf("deleting a missing ref: %v, want 422", err)
	}
	if _, _, err := c.Git.GetRef(cx, "o", "r", "heads/fix"); status(err) != http.StatusNotFound {
		t.Errorf("GetRef of a deleted ref: %v, want 404", err)
	}
}

func TestTreesAndBlobs(t *testing.T) {
	t.Parallel()
	s := New(t)
	head := s.SetFiles("o", "r", "main", map[string]string{"a": "A", "d/e/f": "F"}, "alice")
	c := s.Client()
	cx := ctx(t)
	cm, _ := s.Commit("o", "r", head)
	tree, _, err := c.Git.GetTree(cx, "o", "r", cm.Tree, true)
	if err != nil {
		t.Fatal(err)
	}
	var entries []string
	for _, e := range tree.Entries {
		entries = append(entries, e.GetType()+" "+e.GetPath())
	}
	if diff := cmp.Diff([]string{"blob a", "tree d", "tree d/e", "blob d/e/f"}, entries); diff != "" {
		t.Errorf("recursive tree (-want +got):\n%s", diff)
	}
	blob, _, err := c.Git.CreateBlob(cx, "o", "r", &github.Blob{Content: github.String("Zm9v"), Encoding: github.String("base64")})
	if err != nil {
		t.Fatal(err)
	}
	raw, _, err := c.Git.GetBlobRaw(cx, "o", "r", blob.GetSHA())
	if err != nil || string(raw) != "foo" {
		t.Errorf("GetBlobRaw = %q, %v; want foo", raw, err)
	}
	got, _, err := c.Git.GetBlob(cx, "o", "r", blob.GetSHA())
	if err != nil || got.GetSize() != 3 {
		t.Fatalf("GetBlob = %+v, %v", got, err)
	}
	// A null sha deletes; a sha reuses a blob.
	nt, _, err := c.Git.CreateTree(cx, "o", "r", cm.Tree, []*github.TreeEntry{
		{Path: github.String("d/e/f"), Mode: github.String("100644"), Type: github.String("blob")},
		{Path: github.String("foo"), Mode: github.String("100644"), Type: github.String("blob"), SHA: blob.SHA},
	})
	if err != nil {
		t.Fatal(err)
	}
	var top []string
	for _, e := range nt.Entries {
		top = append(top, e.GetPath())
	}
	if diff := cmp.Diff([]string{"a", "foo"}, top); diff != "" {
		t.Errorf("new tree (-want +got):\n%s", diff)
	}
	_, _, err = c.Git.CreateTree(cx, "o", "r", "", []*github.TreeEntry{
		{Path: github.String("x"), Mode: github.String("100644"), Type: github.String("blob"), SHA: github.String(head)},
	})
	if status(err) != http.StatusUnprocessableEntity {
		t.Errorf("tree entry naming a commit as a blob: %v, want 422", err)
	}
}

func TestCompareShowsWhoCommitted(t *testing.T) {
	t.Parallel()
	s := New(t)
	base := s.SetFile("o", "r", "main", "f", "1", "alice")
	s.CreateBranch("o", "r", "fix", "main")
	s.SetFile("o", "r", "fix", "f", "2", DefaultAppLogin)
	s.SetFile("o", "r", "fix", "g", "3", "mallory")
	s.SetFile("o", "r", "main", "h", "4", "alice")
	cmp0, _, err := s.Client().Repositories.CompareCommits(ctx(t), "o", "r", "main", "fix", nil)
	if err != nil {
		t.Fatal(err)
	}
	var authors []string
	for _, rc := range cmp0.Commits {
		authors = append(authors, rc.GetAuthor().GetLogin()+"/"+rc.GetCommitter().GetLogin())
	}
	if diff := cmp.Diff([]string{DefaultAppLogin + "/" + DefaultAppLogin, "mallory/mallory"}, authors); diff != "" {
		t.Errorf("commit logins (-want +got):\n%s", diff)
	}
	if cmp0.GetAheadBy() != 2 || cmp0.GetBehindBy() != 1 || cmp0.GetStatus() != "diverged" ||
		cmp0.GetMergeBaseCommit().GetSHA() != base || len(cmp0.Files) != 2 {
		t.Errorf("compare = ahead %d behind %d %s base %s files %d", cmp0.GetAheadBy(), cmp0.GetBehindBy(),
			cmp0.GetStatus(), cmp0.GetMergeBaseCommit().GetSHA(), len(cmp0.Files))
	}
	rc, _, err := s.Client().Repositories.GetCommit(ctx(t), "o", "r", "fix", nil)
	if err != nil {
		t.Fatal(err)
	}
	if rc.GetAuthor().GetLogin() != "mallory" || len(rc.Files) != 1 || rc.Files[0].GetFilename() != "g" ||
		rc.Files[0].GetStatus() != "added" {
		t.Errorf("GetCommit(fix) = author %s files %v", rc.GetAuthor().GetLogin(), rc.Files)
	}
	sha, _, err := s.Client().Repositories.GetCommitSHA1(ctx(t), "o", "r", "main", "")
	if want, _ := s.Ref("o", "r", "main"); err != nil || sha != want {
		t.Errorf("GetCommitSHA1 = %q, %v; want %s", sha, err, want)
	}
}

func TestCommitWithCustomAuthorIsNotVerified(t *testing.T) {
	t.Parallel()
	s := New(t)
	head := s.SetFile("o", "r", "main", "f", "1", "alice")
	cm, _ := s.Commit("o", "r", head)
	got, _, err := s.Client().Git.CreateCommit(ctx(t), "o", "r", &github.Commit{Message: github.String("m"),
		Tree: &github.Tree{SHA: github.String(cm.Tree)}, Parents: []*github.Commit{{SHA: github.String(head)}},
		Author: &github.CommitAuthor{Name: github.String("Eve"), Email: github.String("eve@example.com")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := s.Commit("o", "r", got.GetSHA())
	if stored.Verified || stored.Author.Login != "" || stored.Committer.Email != "eve@example.com" {
		t.Errorf("stored commit = %+v; want unverified, no login, committed as the author", stored)
	}
}
