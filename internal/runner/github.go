package runner

import (
	"context"
	"time"

	"github.com/pindrift/pindrift/internal/discover"
	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/onboard"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
	"github.com/pindrift/pindrift/internal/verify"
	"github.com/pindrift/pindrift/internal/verify/ghrelease"
)

// GitHub is what a run asks of one installation's GitHub. Package ghrunner
// is the real one, on go-github; runnertest is an in-memory fake for
// testing the runner's decisions without HTTP. Errors come back unwrapped
// (the runner says which request failed) except where a method says so.
type GitHub interface {
	Repos
	Checks
	// Settings reads the repository's pindrift configuration at ref:
	// repoconfig.ErrNotConfigured when there is none, a *repoconfig.Error when it is
	// invalid.
	Settings(ctx context.Context, repo issues.Repo, ref string) (*Settings, error)
	// Releases reads release metadata for a run on home, with no more
	// access than home's visibility allows (see ghrelease.Options.Home).
	Releases(home Repository) (Releases, error)
	// Issues and FixPR are the clients the tracking issue and the fix PR
	// are brought in line through.
	Issues() issues.Client
	FixPR() fixpr.Client
	// Onboard is the client the onboarding PR is proposed through.
	Onboard() onboard.Client
}

// Repos reads repositories and pull requests and comments on issues.
type Repos interface {
	Repository(ctx context.Context, repo issues.Repo) (Repository, error)
	// BranchHead returns the SHA of the commit at the tip of branch.
	BranchHead(ctx context.Context, repo issues.Repo, branch string) (string, error)
	PullRequest(ctx context.Context, repo issues.Repo, number int) (PullRequest, error)
	// Permission returns login's permission on repo: "admin", "maintain",
	// "write", "triage", "read" or "none".
	Permission(ctx context.Context, repo issues.Repo, login string) (string, error)
	// ReadFile returns the file at path and ref. Nothing at path is an
	// error wrapping ErrNoFile, a directory one wrapping ErrNotFile, a
	// file over maxBytes one wrapping ErrTooLarge, each with a message
	// that says so; the bytes of a larger file are never fetched.
	ReadFile(ctx context.Context, repo issues.Repo, path, ref string, maxBytes int64) ([]byte, error)
	// Tree lists every file at ref (a commit SHA, so that the reads that
	// follow see the same files) in one request; truncated reports a
	// listing GitHub cut short (over 100,000 entries or 7 MB).
	Tree(ctx context.Context, repo issues.Repo, ref string) (entries []discover.Entry, truncated bool, err error)
	// ChangedFiles lists the files that differ between base and head, as
	// far as GitHub lists them (MaxChangedFiles at most).
	ChangedFiles(ctx context.Context, repo issues.Repo, base, head string) ([]ChangedFile, error)
	// Comment posts body on issue number, whatever was said before.
	Comment(ctx context.Context, repo issues.Repo, number int, body string) error
}

// Checks creates check runs.
type Checks interface {
	// CreateCheckRun creates a completed check run and returns its id.
	CreateCheckRun(ctx context.Context, repo issues.Repo, run CheckRun) (int64, error)
	// AddAnnotations appends out's annotations to check run id; its title,
	// summary and text replace the run's, so they are sent again as they are.
	AddAnnotations(ctx context.Context, repo issues.Repo, id int64, name string, out CheckOutput) error
}

// Releases is release metadata for one run: what verification resolves
// assets through, and where a download URL points for the tracking issue.
type Releases interface {
	verify.AssetResolver
	// Locate reads a release download URL without a request; ok is false
	// for any other URL.
	Locate(url string) (loc ghrelease.Location, ok bool)
}

// Repository is a repository as a run needs it.
type Repository struct {
	Owner, Name   string
	DefaultBranch string
	// Visibility is "public", "internal" or "private".
	Visibility string
}

// PullRequest is a pull request as a check needs it.
type PullRequest struct {
	Author  string
	BaseSHA string
	Base    Repository
}

// ChangedFile is one file a comparison lists; PreviousName is set for a
// rename.
type ChangedFile struct {
	Name, PreviousName string
}

// MaxChangedFiles is how many files GitHub lists in a comparison; a
// comparison that lists this many may have left some out.
const MaxChangedFiles = 300

// CheckRun is a completed check run to create.
type CheckRun struct {
	Name       string
	HeadSHA    string
	Conclusion string
	// ExternalID is empty for none.
	ExternalID  string
	CompletedAt time.Time
	Output      CheckOutput
}

// CheckOutput is a check run's text and one request's worth of its
// annotations.
type CheckOutput struct {
	Title, Summary, Text string
	Annotations          []Annotation
}
