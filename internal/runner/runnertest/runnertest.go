// Package runnertest is an in-memory runner.GitHub, for testing the
// runner's decisions (is a check due, what does it conclude, who may ask
// for a recheck, what does the tracking issue hear) without HTTP. It holds
// one repository and records what a run wrote: check runs, comments and
// tracking issues. Fix PRs are not faked: a run with Settings.PR enabled
// fails loudly.
//
// It must not import go-github, ghrunner or the HTTP fake (ghfake):
// behaviour that depends on GitHub's wire format is tested end to end
// against ghfake instead.
package runnertest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/pindrift/pindrift/internal/discover"
	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
	"github.com/pindrift/pindrift/internal/repoconfig"
	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/verify"
	"github.com/pindrift/pindrift/internal/verify/ghrelease"
)

// ErrNotFound is what the fake answers for anything it does not hold.
var ErrNotFound = errors.New("runnertest: not found")

// GitHub is one repository's GitHub. Set its fields before a run; read
// what the run did with its methods. It is safe for concurrent use.
type GitHub struct {
	mu sync.Mutex

	repo runner.Repository
	// heads maps a branch to its commit; files maps a commit to its files.
	heads   map[string]string
	files   map[string]map[string]string
	pulls   map[int]runner.PullRequest
	changed map[[2]string][]runner.ChangedFile
	perms   map[string]string
	// settings answers Settings; fail makes a method (by name) fail.
	settings func(ref string) (*runner.Settings, error)
	fail     map[string]error

	checks   []*CheckRun
	comments map[int][]string
	issues   *Issues
	calls    []string

	onboarding *Onboarding
}

var _ runner.GitHub = (*GitHub)(nil)

// CheckRun is a check run as the fake holds it: what was created, with the
// annotations of later requests appended.
type CheckRun struct {
	runner.CheckRun
	ID int64
	// Requests counts the create and each update that added annotations.
	Requests int
}

// New returns a fake of owner/name, public, whose default branch "main" is
// at commit head and holds files.
func New(owner, name, head string, files map[string]string) *GitHub {
	g := &GitHub{
		repo:     runner.Repository{Owner: owner, Name: name, DefaultBranch: "main", Visibility: "public"},
		heads:    map[string]string{"main": head},
		files:    map[string]map[string]string{},
		pulls:    map[int]runner.PullRequest{},
		changed:  map[[2]string][]runner.ChangedFile{},
		perms:    map[string]string{},
		fail:     map[string]error{},
		comments: map[int][]string{},
		settings: func(string) (*runner.Settings, error) { return nil, repoconfig.ErrNotConfigured },
	}
	g.issues = &Issues{g: g}
	g.SetCommit(head, files)
	return g
}

// Installation returns g for every installation, for runner.Deps.
func (g *GitHub) Installation(context.Context, int64) (runner.GitHub, error) { return g, nil }

// SetCommit makes commit sha hold files (a copy).
func (g *GitHub) SetCommit(sha string, files map[string]string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	m := make(map[string]string, len(files))
	for p, s := range files {
		m[p] = s
	}
	g.files[sha] = m
}

// SetHead moves branch to commit sha (which SetCommit fills).
func (g *GitHub) SetHead(branch, sha string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.heads[branch] = sha
}

// SetSettings makes Settings answer s and err at every ref.
func (g *GitHub) SetSettings(s *runner.Settings, err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.settings = func(string) (*runner.Settings, error) { return s, err }
}

// SetSettingsAt makes Settings answer s and err at ref, and as before
// at every other ref.
func (g *GitHub) SetSettingsAt(ref string, s *runner.Settings, err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	other := g.settings
	g.settings = func(r string) (*runner.Settings, error) {
		if r == ref {
			return s, err
		}
		return other(r)
	}
}

// AddPullRequest adds pull request number from author, based on base, whose
// head commit is head and whose comparison with base lists changed.
func (g *GitHub) AddPullRequest(number int, author, base, head string, changed []runner.ChangedFile) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.pulls[number] = runner.PullRequest{Author: author, BaseSHA: base, Base: g.repo}
	g.changed[[2]string{base, head}] = changed
}

// SetPermission gives login a permission ("read", "write", ...).
func (g *GitHub) SetPermission(login, permission string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.perms[login] = permission
}

// Fail makes every later call of method (e.g. "Permission") return err.
func (g *GitHub) Fail(method string, err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.fail[method] = err
}

// CheckRuns returns the check runs created on sha, oldest first.
func (g *GitHub) CheckRuns(sha string) []CheckRun {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []CheckRun
	for _, c := range g.checks {
		if c.HeadSHA == sha {
			out = append(out, *c)
		}
	}
	return out
}

// Comments returns the comments posted on issue number, oldest first,
// through either the runner or its tracking-issue client.
func (g *GitHub) Comments(number int) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.comments[number]...)
}

// TrackingIssues is the fake's tracking-issue client, to set up issues.
func (g *GitHub) TrackingIssues() *Issues { return g.issues }

// Calls lists the methods called, in order.
func (g *GitHub) Calls() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.calls...)
}

// call records method and returns the error it was told to fail with.
// The caller holds g.mu.
func (g *GitHub) call(method string) error {
	g.calls = append(g.calls, method)
	return g.fail[method]
}

// check fails for a repository other than the fake's.
func (g *GitHub) check(repo issues.Repo) error {
	if repo.Owner != g.repo.Owner || repo.Name != g.repo.Name {
		return fmt.Errorf("%s: %w", repo.FullName(), ErrNotFound)
	}
	return nil
}

func (g *GitHub) Repository(_ context.Context, repo issues.Repo) (runner.Repository, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := errors.Join(g.call("Repository"), g.check(repo)); err != nil {
		return runner.Repository{}, err
	}
	return g.repo, nil
}

func (g *GitHub) BranchHead(_ context.Context, repo issues.Repo, branch string) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := errors.Join(g.call("BranchHead"), g.check(repo)); err != nil {
		return "", err
	}
	sha, ok := g.heads[branch]
	if !ok {
		return "", fmt.Errorf("branch %s: %w", branch, ErrNotFound)
	}
	return sha, nil
}

func (g *GitHub) PullRequest(_ context.Context, repo issues.Repo, number int) (runner.PullRequest, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := errors.Join(g.call("PullRequest"), g.check(repo)); err != nil {
		return runner.PullRequest{}, err
	}
	pr, ok := g.pulls[number]
	if !ok {
		return pr, fmt.Errorf("pull request #%d: %w", number, ErrNotFound)
	}
	return pr, nil
}

// Permission answers "none" for a login without one, as GitHub does.
func (g *GitHub) Permission(_ context.Context, repo issues.Repo, login string) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := errors.Join(g.call("Permission"), g.check(repo)); err != nil {
		return "", err
	}
	if p, ok := g.perms[login]; ok {
		return p, nil
	}
	return "none", nil
}

func (g *GitHub) ReadFile(_ context.Context, repo issues.Repo, path, ref string, maxBytes int64) ([]byte, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := errors.Join(g.call("ReadFile"), g.check(repo)); err != nil {
		return nil, err
	}
	src, ok := g.files[ref][path]
	if !ok {
		return nil, fmt.Errorf("read %s at %s: %w", path, ref, errors.Join(ErrNotFound, runner.ErrNoFile))
	}
	if int64(len(src)) > maxBytes {
		return nil, fmt.Errorf("%s in %s is %d bytes, over the %d-byte limit: %w", path, repo.FullName(), len(src), maxBytes, runner.ErrTooLarge)
	}
	return []byte(src), nil
}

// Tree lists the files of commit ref, in path order, as regular files of
// their length.
func (g *GitHub) Tree(_ context.Context, repo issues.Repo, ref string) ([]discover.Entry, bool, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := errors.Join(g.call("Tree"), g.check(repo)); err != nil {
		return nil, false, err
	}
	files, ok := g.files[ref]
	if !ok {
		return nil, false, fmt.Errorf("tree at %s: %w", ref, ErrNotFound)
	}
	entries := make([]discover.Entry, 0, len(files))
	for _, p := range slices.Sorted(maps.Keys(files)) {
		entries = append(entries, discover.Entry{Path: p, Size: int64(len(files[p])), Mode: "100644"})
	}
	return entries, false, nil
}

func (g *GitHub) ChangedFiles(_ context.Context, repo issues.Repo, base, head string) ([]runner.ChangedFile, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := errors.Join(g.call("ChangedFiles"), g.check(repo)); err != nil {
		return nil, err
	}
	files, ok := g.changed[[2]string{base, head}]
	if !ok {
		return nil, fmt.Errorf("compare %s...%s: %w", base, head, ErrNotFound)
	}
	return files, nil
}

func (g *GitHub) Comment(_ context.Context, repo issues.Repo, number int, body string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := errors.Join(g.call("Comment"), g.check(repo)); err != nil {
		return err
	}
	g.comments[number] = append(g.comments[number], body)
	return nil
}

func (g *GitHub) CreateCheckRun(_ context.Context, repo issues.Repo, run runner.CheckRun) (int64, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := errors.Join(g.call("CreateCheckRun"), g.check(repo)); err != nil {
		return 0, err
	}
	run.Output.Annotations = append([]runner.Annotation(nil), run.Output.Annotations...)
	c := &CheckRun{CheckRun: run, ID: int64(len(g.checks) + 1), Requests: 1}
	g.checks = append(g.checks, c)
	return c.ID, nil
}

func (g *GitHub) AddAnnotations(_ context.Context, repo issues.Repo, id int64, name string, out runner.CheckOutput) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := errors.Join(g.call("AddAnnotations"), g.check(repo)); err != nil {
		return err
	}
	if id < 1 || id > int64(len(g.checks)) || g.checks[id-1].Name != name {
		return fmt.Errorf("check run %d named %s: %w", id, name, ErrNotFound)
	}
	c := g.checks[id-1]
	c.Output.Title, c.Output.Summary, c.Output.Text = out.Title, out.Summary, out.Text
	c.Output.Annotations = append(c.Output.Annotations, out.Annotations...)
	c.Requests++
	return nil
}

func (g *GitHub) Settings(_ context.Context, repo issues.Repo, ref string) (*runner.Settings, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := errors.Join(g.call("Settings"), g.check(repo)); err != nil {
		return nil, err
	}
	return g.settings(ref)
}

// Releases knows no release: every URL is downloaded.
func (g *GitHub) Releases(runner.Repository) (runner.Releases, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := g.call("Releases"); err != nil {
		return nil, err
	}
	return noReleases{}, nil
}

func (g *GitHub) Issues() issues.Client { return g.issues }

func (g *GitHub) FixPR() fixpr.Client { return noFixPR{} }

type noReleases struct{}

func (noReleases) Resolve(context.Context, string) (verify.AssetInfo, error) {
	return verify.AssetInfo{}, verify.ErrNotReleaseAsset
}

func (noReleases) Locate(string) (ghrelease.Location, bool) { return ghrelease.Location{}, false }
