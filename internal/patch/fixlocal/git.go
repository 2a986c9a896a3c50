package fixlocal

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/pindrift/pindrift/internal/patch"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/shortsha"
)

// Repo is the local git repository --commit writes to, with the branch
// the fix goes on and the manifests it fixes.
type Repo struct {
	repo *git.Repository
	wt   *git.Worktree
	root string
	// rels maps each FILE to its path relative to root, slash-separated,
	// as git names it.
	rels   map[string]string
	files  []string // in the order given
	branch plumbing.ReferenceName
}

// Open finds the repository holding dir (or a parent), and checks that
// branch is a valid branch name and every file lies inside the worktree.
func Open(dir, branch string, files ...string) (*Repo, error) {
	ref := plumbing.NewBranchReferenceName(branch)
	if err := ref.Validate(); err != nil {
		return nil, fmt.Errorf("--branch %q: %w", branch, err)
	}
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return nil, fmt.Errorf("--repo %s: %w", dir, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, fmt.Errorf("--repo %s: %w", dir, err)
	}
	root, err := filepath.EvalSymlinks(wt.Filesystem.Root())
	if err != nil {
		return nil, err
	}
	r := &Repo{repo: repo, wt: wt, root: root, rels: map[string]string{}, files: files, branch: ref}
	for _, file := range files {
		if r.rels[file], err = relative(root, file); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// relative is file's path in the worktree at root.
func relative(root, file string) (string, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", err
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return "", err
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is not inside the repository %s", file, root)
	}
	return filepath.ToSlash(rel), nil
}

// CheckClean refuses a file that is not committed as it is, and an index
// holding other staged changes, which the fix commit would sweep in.
// Every file is checked before anything is fetched or written.
func (r *Repo) CheckClean() error {
	head, err := r.repo.Head()
	if err != nil {
		return fmt.Errorf("%s: no commit to branch from: %w", r.root, err)
	}
	commit, err := r.repo.CommitObject(head.Hash())
	if err != nil {
		return fmt.Errorf("%s: %w", r.root, err)
	}
	st, err := r.wt.Status()
	if err != nil {
		return fmt.Errorf("%s: status: %w", r.root, err)
	}
	for _, file := range r.files {
		rel := r.rels[file]
		if _, err := commit.File(rel); err != nil {
			return fmt.Errorf("%s is not committed in %s (%w); commit it before fixing it", rel, r.root, err)
		}
		// Status lists only paths that differ; a clean file is absent.
		if fs, ok := st[rel]; ok && (fs.Worktree != git.Unmodified || fs.Staging != git.Unmodified) {
			return fmt.Errorf("%s has uncommitted changes in %s; commit or discard them before fixing it", rel, r.root)
		}
	}
	var staged []string
	for p, fs := range st {
		if fs.Staging != git.Unmodified && fs.Staging != git.Untracked {
			staged = append(staged, p)
		}
	}
	if len(staged) > 0 {
		return fmt.Errorf("%s has staged changes (%s) that the fix commit would include; commit or unstage them first",
			r.root, strings.Join(staged, ", "))
	}
	return nil
}

// Commit checks out the fix branch (created at HEAD if new, leaving the
// worktree as it is), fixes each of files (given to Open) as it is on
// that branch with the same live digests, writes the changed ones and
// commits them together, in one commit. The original branch is not
// moved; the repository is left on the fix branch, as "git checkout -b"
// would leave it. It returns the fix made on the branch of each file and
// a line for the user saying what was committed, or that the branch
// already held it.
func (r *Repo) Commit(ctx context.Context, files []string, opts pin.Options, live map[string]patch.Live, author Author) ([]*patch.Result, string, error) {
	if err := r.checkout(); err != nil {
		return nil, "", err
	}
	fixes := make([]*patch.Result, 0, len(files))
	for _, file := range files {
		rel, ok := r.rels[file]
		if !ok {
			return nil, "", fmt.Errorf("%s was not checked for uncommitted changes", file)
		}
		src, _, err := extract.ReadFile(ctx, file, opts)
		if err != nil {
			return nil, "", err
		}
		fx, err := patch.Fix(ctx, file, src, opts, live)
		if err != nil {
			return nil, "", err
		}
		fixes = append(fixes, fx)
		if !fx.Changed() {
			continue
		}
		// Written one by one: a failure part way leaves the earlier files
		// changed in the worktree of the fix branch, uncommitted, which
		// "git status" shows; the original branch is untouched.
		if err := WriteFile(file, fx.Original, fx.Patched); err != nil {
			return nil, "", err
		}
		if _, err := r.wt.Add(rel); err != nil {
			return nil, "", fmt.Errorf("git add %s: %w", rel, err)
		}
	}
	msg := commitMessage(fixes)
	if msg == "" {
		return fixes, fmt.Sprintf("branch %s already holds the fix; nothing committed", r.branch.Short()), nil
	}
	sig := &object.Signature{Name: author.Name, Email: author.Email, When: time.Now()}
	hash, err := r.wt.Commit(msg, &git.CommitOptions{Author: sig})
	if err != nil {
		return nil, "", fmt.Errorf("git commit: %w", err)
	}
	return fixes, fmt.Sprintf("committed %s on branch %s", shortsha.Of(hash.String(), shortsha.Long), r.branch.Short()), nil
}

func (r *Repo) checkout() error {
	head, err := r.repo.Head()
	if err != nil {
		return err
	}
	if head.Name() == r.branch {
		return nil
	}
	_, err = r.repo.Reference(r.branch, true)
	switch {
	case errors.Is(err, plumbing.ErrReferenceNotFound):
		// A new branch at HEAD: Keep only moves HEAD, so no file in the
		// worktree (the user's other work included) is touched.
		err = r.wt.Checkout(&git.CheckoutOptions{Branch: r.branch, Create: true, Keep: true})
	case err == nil:
		err = r.wt.Checkout(&git.CheckoutOptions{Branch: r.branch})
	}
	if err != nil {
		return fmt.Errorf("check out branch %s in %s: %w", r.branch.Short(), r.root, err)
	}
	return nil
}

// Author signs the fix commit.
type Author struct {
	Name, Email string
}

// ParseAuthor reads "Name <email>"; a bare address takes its local part as
// the name.
func ParseAuthor(s string) (Author, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return Author{}, fmt.Errorf(`--author %q: want "Name <email>": %w`, s, err)
	}
	name := a.Name
	if name == "" {
		name, _, _ = strings.Cut(a.Address, "@")
	}
	return Author{Name: name, Email: a.Address}, nil
}
