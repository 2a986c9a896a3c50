package main

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
	"github.com/pindrift/pindrift/internal/shortsha"
)

// fixRepo is the local git repository --commit writes to.
type fixRepo struct {
	repo   *git.Repository
	wt     *git.Worktree
	root   string
	rel    string // FILE relative to root, slash-separated, as git names it
	branch plumbing.ReferenceName
}

func openFixRepo(dir, branch, file string) (*fixRepo, error) {
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
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("%s is not inside the repository %s", file, root)
	}
	return &fixRepo{repo: repo, wt: wt, root: root, rel: filepath.ToSlash(rel), branch: ref}, nil
}

// checkClean refuses a file that is not committed as it is, and an index
// holding other staged changes, which the fix commit would sweep in.
func (r *fixRepo) checkClean() error {
	head, err := r.repo.Head()
	if err != nil {
		return fmt.Errorf("%s: no commit to branch from: %w", r.root, err)
	}
	commit, err := r.repo.CommitObject(head.Hash())
	if err != nil {
		return fmt.Errorf("%s: %w", r.root, err)
	}
	if _, err := commit.File(r.rel); err != nil {
		return fmt.Errorf("%s is not committed in %s (%w); commit it before fixing it", r.rel, r.root, err)
	}
	st, err := r.wt.Status()
	if err != nil {
		return fmt.Errorf("%s: status: %w", r.root, err)
	}
	// Status lists only paths that differ; a clean file is absent.
	if fs, ok := st[r.rel]; ok && (fs.Worktree != git.Unmodified || fs.Staging != git.Unmodified) {
		return fmt.Errorf("%s has uncommitted changes in %s; commit or discard them before fixing it", r.rel, r.root)
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

// commitFix checks out the fix branch (created at HEAD if new, leaving the
// worktree as it is), fixes FILE as it is on that branch with the same
// live digests, writes it and commits it. The original branch is not
// moved; the repository is left on the fix branch, as "git checkout -b"
// would leave it.
func (r *fixRepo) commitFix(ctx context.Context, file string, opts pin.Options, live map[string]patch.Live, author string) (*patch.Result, string, error) {
	sig, err := parseAuthor(author)
	if err != nil {
		return nil, "", badInput(err)
	}
	if err := r.checkout(); err != nil {
		return nil, "", badInput(err)
	}
	src, _, err := readManifest(ctx, file, opts)
	if err != nil {
		return nil, "", err
	}
	fx, err := patch.Fix(ctx, file, src, opts, live)
	if err != nil {
		return nil, "", badInput(err)
	}
	if !fx.Changed() {
		return fx, fmt.Sprintf("branch %s already holds the fix; nothing committed", r.branch.Short()), nil
	}
	if err := writeFileAtomic(file, fx.Original, fx.Patched); err != nil {
		return nil, "", badInput(err)
	}
	if _, err := r.wt.Add(r.rel); err != nil {
		return nil, "", badInput(fmt.Errorf("git add %s: %w", r.rel, err))
	}
	sig.When = time.Now()
	hash, err := r.wt.Commit(fixCommitMessage(fx), &git.CommitOptions{Author: sig})
	if err != nil {
		return nil, "", badInput(fmt.Errorf("git commit: %w", err))
	}
	return fx, fmt.Sprintf("committed %s on branch %s", shortsha.Of(hash.String(), shortsha.Long), r.branch.Short()), nil
}

func (r *fixRepo) checkout() error {
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

// parseAuthor reads "Name <email>".
func parseAuthor(s string) (*object.Signature, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf(`--author %q: want "Name <email>": %w`, s, err)
	}
	name := a.Name
	if name == "" {
		name, _, _ = strings.Cut(a.Address, "@")
	}
	return &object.Signature{Name: name, Email: a.Address}, nil
}
