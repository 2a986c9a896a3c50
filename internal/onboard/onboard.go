package onboard

import (
	"context"

	"github.com/pindrift/pindrift/internal/discover"
	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
)

// Branch is the App's onboarding branch. It is fixed, not configurable:
// a repository being onboarded has no configuration to set it in.
const Branch = "pindrift/configure"

// Title is the onboarding PR's title.
const Title = "Configure pindrift"

// Marker identifies the App's onboarding PR in its body.
const Marker = "<!-- pindrift:onboarding -->"

// Command, alone in an issue comment by someone with write access, asks
// for an onboarding PR again.
const Command = "/pindrift onboard"

// CommitMessage is the message of the commit that adds the configuration.
const CommitMessage = "Configure pindrift\n\nAdd .github/pindrift.yml listing the files pindrift found pins in."

// Facts are what Decide needs to know. The zero Found means discovery has
// not run: Decide then says whether it should (Plan.Discover).
type Facts struct {
	Repo          issues.Repo
	DefaultBranch string
	// BaseCommit is the default branch's head, which discovery read and
	// the configuration's commit goes on top of.
	BaseCommit string
	// ConfigPath is where the configuration goes (repoconfig.Path).
	ConfigPath string
	// Configured reports a configuration of the repository's own or its
	// owner's default (valid or not): nothing to onboard.
	Configured bool
	// Off reports the owner's default saying onboarding: false.
	Off bool
	// Asked is the "/pindrift onboard" request this run answers, by
	// someone already known to have write access; nil for a run the App
	// started (installation, sweep).
	Asked *Request
	// PRs are the App's pull requests from Branch, in every state, newest
	// first.
	PRs []PR
	// Branch is the App's branch as it stands, nil when it does not exist
	// or was not read (it is read only once there is something to push).
	Branch *fixpr.Branch
	// Found is what discovery found; nil before it ran.
	Found *discover.Result
	// Config is the configuration discovery wrote for Found.
	Config []byte
}

// Request is a person's "/pindrift onboard".
type Request struct {
	Login string
	// Issue is where it was asked, and where the answer goes.
	Issue int
}

// PR is one of the App's onboarding pull requests.
type PR struct {
	Number int
	Open   bool
	Merged bool
	Body   string
}

// Plan is what to do on GitHub; the zero Plan does nothing.
type Plan struct {
	// Discover asks the caller to run discovery, fill Facts.Found,
	// Facts.Config and Facts.Branch, and decide again.
	Discover bool
	// Push writes the configuration in one commit on top of the default
	// branch's head to Branch, creating or force-moving the App's branch.
	Push     *fixpr.Push
	CreatePR *fixpr.NewPR
	UpdatePR *fixpr.PRUpdate
	// Reply answers a "/pindrift onboard" on its issue.
	Reply *Reply
	// Announce is the issue to tell the new PR's number on (see
	// Announcement), once CreatePR made it; 0 for none.
	Announce int
	// Skip says why nothing (more) is done, for the log.
	Skip string
}

// Reply is a comment to post on an issue.
type Reply struct {
	Issue int
	Body  string
}

// Client is what onboarding needs from GitHub; ghonboard has the real one.
type Client interface {
	// PullRequests lists the App's pull requests whose head is branch, in
	// every state, newest first, at most MaxPRs: one request, so that a
	// repository that said no costs one request a sweep.
	PullRequests(ctx context.Context, repo issues.Repo, branch string) ([]PR, error)
	// Branch reads the App's branch (nil when it does not exist), with the
	// file at path on it; base is the default branch, which the branch's
	// own commits are counted from.
	Branch(ctx context.Context, repo issues.Repo, branch, base, path string) (*fixpr.Branch, error)
	// Push, CreatePR and UpdatePR are as fixpr.Client's: never to the
	// default branch, and never moving a branch someone else committed to.
	Push(ctx context.Context, repo issues.Repo, p fixpr.Push) error
	CreatePR(ctx context.Context, repo issues.Repo, pr fixpr.NewPR) (int, error)
	UpdatePR(ctx context.Context, repo issues.Repo, u fixpr.PRUpdate) error
	// Comment posts body on issue number unless the App's last comment
	// there says the same, so a retried job does not answer twice.
	Comment(ctx context.Context, repo issues.Repo, number int, body string) error
}

// MaxPRs bounds the onboarding PRs read: the newest decides, and one
// page is enough to see whether any was merged or declined.
const MaxPRs = 30
