// Package fixpr decides and describes the fix pull request: one open PR per
// repository, on the App's own branch, whose single commit rewrites exactly
// the drifted SHA literals. Decide is a pure function of the computed fix
// and what GitHub holds; a Client carries the plan out. The bot never
// pushes to the default branch and never merges.
//
// Its title and commit message are patch's Subject and CommitMessage,
// which `bot fix --commit` (fixlocal) writes too. It imports patch,
// issues and markdown; never runner, jobs, webhook or server, which call
// it, nor go-github: the Client interface is GitHub's only door.
package fixpr

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/patch"
)

// DefaultBranch is the App's branch unless configured otherwise.
const DefaultBranch = "pindrift/resync"

// Marker identifies the App's fix PR in its body.
const Marker = "<!-- pindrift:fix-pr -->"

// handsOff marks a PR body that already says a person pushed to the
// branch, so that is commented on once, not on every run.
const handsOff = "<!-- pindrift:hands-off -->"

// Config is the repository's fix_pr settings.
type Config struct {
	Enabled   bool
	Branch    string // DefaultBranch when empty
	Draft     bool
	Reviewers []string
}

// Facts describe the repository and the fix computed on its default
// branch.
type Facts struct {
	Repo          issues.Repo
	DefaultBranch string
	BaseCommit    string        // the default branch's head, which Fix was computed on
	Fix           *patch.Result // nil when nothing was verified
	Assets        map[string]issues.AssetFacts
	Attestations  map[string]Attestation // by lowercase SHA-256 hex
	TrackingIssue int
}

// Attestation is what GitHub knows of a digest's provenance.
type Attestation struct {
	Found bool
	// FromRepo reports a provenance attestation naming a workflow of this
	// very repository, Workflow its path.
	FromRepo bool
	Workflow string
}

// Existing is the state of the App's branch and PR.
type Existing struct {
	Branch *Branch
	PR     *PR
}

// Branch is the App's branch as it stands.
type Branch struct {
	Head string
	// Parent is the parent of the head commit.
	Parent string
	// OnlyApp reports that the branch is the App's: it holds at least one
	// commit the default branch lacks and the App authored and committed
	// every such commit (or, with none, its head commit is the App's: a
	// fix merged with a merge commit). A branch cut from the default
	// branch by someone else is not, and is never moved or deleted.
	OnlyApp bool
	// File is the manifest's content at Head.
	File []byte
}

// PR is the App's open fix PR.
type PR struct {
	Number int
	Title  string
	Body   string
}

// Plan is what to do on GitHub; the zero Plan does nothing.
type Plan struct {
	// Push writes one commit with File on top of Base to Branch, creating
	// or force-moving it.
	Push     *Push
	CreatePR *NewPR
	UpdatePR *PRUpdate
	Comment  *PRComment
	// ClosePR closes the PR after its comment; DeleteBranch removes the
	// App's branch.
	ClosePR      int
	DeleteBranch string
	// Blocked explains why there is no fix PR, for the tracking issue.
	Blocked string
}

// Push is one commit on the App's branch.
type Push struct {
	Branch  string
	Base    string
	Path    string
	Content []byte
	Message string
}

// NewPR is a pull request to open.
type NewPR struct {
	Title, Body, Head, Base string
	Draft                   bool
	Reviewers               []string
}

// PRUpdate replaces a PR's title and body.
type PRUpdate struct {
	Number      int
	Title, Body string
}

// PRComment adds a comment to a PR.
type PRComment struct {
	Number int
	Body   string
}

// Empty reports whether the plan changes nothing.
func (p Plan) Empty() bool {
	return p.Push == nil && p.CreatePR == nil && p.UpdatePR == nil && p.Comment == nil && p.ClosePR == 0 && p.DeleteBranch == ""
}

// Client is what the fix PR needs from GitHub; ghfixpr has the real one.
type Client interface {
	// State reads the App's branch (nil if absent, with the manifest at
	// path) and its open PR (nil if none).
	State(ctx context.Context, repo issues.Repo, branch, base, path string) (Existing, error)
	Attestation(ctx context.Context, repo issues.Repo, digest string) (Attestation, error)
	Push(ctx context.Context, repo issues.Repo, p Push) error
	CreatePR(ctx context.Context, repo issues.Repo, pr NewPR) (int, error)
	UpdatePR(ctx context.Context, repo issues.Repo, u PRUpdate) error
	Comment(ctx context.Context, repo issues.Repo, number int, body string) error
	ClosePR(ctx context.Context, repo issues.Repo, number int) error
	DeleteBranch(ctx context.Context, repo issues.Repo, branch string) error
}

// Decide works out the fix PR's next step:
//   - no drift: close an open PR with a comment and delete the App's
//     branch (unless a person committed to it);
//   - drift that cannot be fixed completely (ambiguous literal, assembled
//     SHA, unverified bytes, failed validation): no PR, Blocked says why,
//     and a stale PR is closed;
//   - a complete fix: one commit on the App's branch from the default
//     branch's head (skipped when the branch already holds exactly that),
//     and one PR, created or brought up to date; if a person pushed to
//     the branch it is left alone and the PR gets one comment saying so.
func Decide(f Facts, ex Existing, cfg Config) Plan {
	var plan Plan
	branch := cfg.Branch
	if branch == "" {
		branch = DefaultBranch
	}
	if !cfg.Enabled {
		return plan
	}
	if branch == f.DefaultBranch || branch == "refs/heads/"+f.DefaultBranch {
		plan.Blocked = fmt.Sprintf("the configured fix branch %s is the default branch, which the App never pushes to.", markdown.Code(branch))
		return plan
	}
	fix := f.Fix
	humanOnBranch := ex.Branch != nil && !ex.Branch.OnlyApp
	cleanUp := func(comment string) {
		if ex.PR != nil {
			plan.Comment = &PRComment{Number: ex.PR.Number, Body: comment}
			plan.ClosePR = ex.PR.Number
		}
		if ex.Branch != nil && !humanOnBranch {
			plan.DeleteBranch = branch
		}
	}
	switch {
	case fix == nil:
		return plan
	case fix.Verdict == patch.VerdictClean:
		branchFate := "the branch is deleted."
		if humanOnBranch {
			branchFate = "the branch stays because someone else committed to it."
		}
		cleanUp("Every pin verifies again without this change, so it is no longer needed. Closing; " + branchFate)
		return plan
	case fix.Verdict != patch.VerdictComplete:
		plan.Blocked = blockedReason(fix)
		cleanUp("The drift can no longer be fixed by rewriting SHA literals alone: " + plan.Blocked + " Closing this PR; see the tracking issue.")
		return plan
	}

	if imm := immutableAssets(f, fix); len(imm) > 0 {
		plan.Blocked = fmt.Sprintf("%s %s in an immutable release whose bytes changed; that calls for a security review, not a SHA bump.",
			listSome(imm), plural(len(imm), "is", "are"))
		cleanUp("The drifted bytes are in an immutable release, which calls for a security review rather than this change. Closing; see the tracking issue.")
		return plan
	}

	title := patch.Subject(fix)
	body := Body(f, fix)
	if humanOnBranch {
		// Someone else committed to the branch: never overwrite their work.
		if ex.PR != nil && !strings.Contains(ex.PR.Body, handsOff) {
			plan.Comment = &PRComment{Number: ex.PR.Number, Body: "Someone other than pindrift committed to " + markdown.Code(branch) +
				", so pindrift will not update this branch any more. The drift it tracks may have changed since; see the tracking issue. " +
				"Delete the branch to let pindrift open a fresh fix."}
			plan.UpdatePR = &PRUpdate{Number: ex.PR.Number, Title: ex.PR.Title, Body: ex.PR.Body + "\n" + handsOff + "\n"}
		}
		if ex.PR == nil {
			plan.Blocked = fmt.Sprintf("the branch %s already exists and was not made by pindrift (it holds commits "+
				"pindrift did not make, or none of its own), so pindrift neither pushes to it nor deletes it. "+
				"Set `fix_pr.branch` in `.github/pindrift.yml` to a branch that does not exist, or delete %s.", markdown.Code(branch), markdown.Code(branch))
		}
		return plan
	}
	upToDate := ex.Branch != nil && ex.Branch.Parent == f.BaseCommit && bytes.Equal(ex.Branch.File, fix.Patched)
	if !upToDate {
		plan.Push = &Push{Branch: branch, Base: f.BaseCommit, Path: fix.File, Content: fix.Patched, Message: patch.CommitMessage(fix)}
	}
	switch {
	case ex.PR == nil:
		plan.CreatePR = &NewPR{Title: title, Body: body, Head: branch, Base: f.DefaultBranch, Draft: cfg.Draft, Reviewers: cfg.Reviewers}
	case ex.PR.Title != title || ex.PR.Body != body:
		plan.UpdatePR = &PRUpdate{Number: ex.PR.Number, Title: title, Body: body}
	}
	return plan
}

// blockedReason says why no PR fixes the drift, as Markdown: the
// refusals quote the manifest's paths and URLs, so each is code.
func blockedReason(fix *patch.Result) string {
	var reasons []string
	for _, r := range fix.Refused {
		reasons = append(reasons, markdown.Code(strings.TrimSuffix(r.Message, ".")))
	}
	if len(reasons) == 0 {
		return "the fix could not be validated."
	}
	return listSome(reasons) + "."
}

// listSome joins the first few of items (Markdown) and counts the rest,
// so a reason stays readable and bounded.
func listSome(items []string) string {
	const few = 3
	if len(items) <= few {
		return strings.Join(items, "; ")
	}
	return strings.Join(items[:few], "; ") + fmt.Sprintf("; and %d more", len(items)-few)
}

// immutableAssets names the changed assets whose release is immutable.
func immutableAssets(f Facts, fix *patch.Result) []string {
	var out []string
	for _, c := range fix.Changes {
		for _, u := range c.URLs {
			if a, ok := f.Assets[u]; ok && a.Immutable {
				out = append(out, markdown.Code(u[strings.LastIndexByte(u, '/')+1:]))
			}
		}
	}
	return out
}
