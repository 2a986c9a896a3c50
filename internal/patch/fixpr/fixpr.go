// Package fixpr decides and describes the fix pull request: one open PR per
// repository, on the App's own branch, whose single commit rewrites exactly
// the drifted SHA literals, in every manifest whose fix is complete. Decide is a pure function of the computed fix
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
	"slices"
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
	BaseCommit    string // the default branch's head, which Fixes were computed on
	// Fixes are the fixes of the files that were read, in the
	// configuration's order; empty when nothing was verified.
	Fixes []*patch.Result
	// Unread are the files that could not be read, left out of the fix.
	Unread        []string
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
	// Files holds the content at Head of each path State was asked for;
	// a path absent on the branch has no entry.
	Files map[string][]byte
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
	// NotFixed says, file by file, what the PR leaves alone because that
	// file's fix is blocked while another's is complete (Markdown, for
	// the tracking issue); "" when the PR fixes all the drift it knows.
	NotFixed string
}

// Push is one commit on the App's branch, changing Files on top of Base.
type Push struct {
	Branch  string
	Base    string
	Files   []File
	Message string
}

// File is a file's new content in a Push.
type File struct {
	Path    string
	Content []byte
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
	// State reads the App's branch (nil if absent, with the content of
	// each of paths) and its open PR (nil if none).
	State(ctx context.Context, repo issues.Repo, branch, base string, paths []string) (Existing, error)
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
//   - drift that cannot be fixed completely in any file (ambiguous
//     literal, assembled SHA, unverified bytes, failed validation): no PR,
//     Blocked says why, and a stale PR is closed;
//   - a complete fix of at least one file: one commit on the App's branch
//     from the default branch's head changing every file whose fix is
//     complete (skipped when the branch already holds exactly that), and
//     one PR, created or brought up to date. A file whose fix is blocked
//     is left as it is on the default branch, and NotFixed and the PR
//     body say why: fixing what can be fixed beats holding every file
//     back for one ambiguous literal. If a person pushed to the branch it
//     is left alone and the PR gets one comment saying so.
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
	fixable, blocked := classify(f.Fixes)
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
	case len(f.Fixes) == 0:
		return plan
	case len(fixable) == 0 && len(blocked) == 0:
		branchFate := "the branch is deleted."
		if humanOnBranch {
			branchFate = "the branch stays because someone else committed to it."
		}
		cleanUp("Every pin verifies again without this change, so it is no longer needed. Closing; " + branchFate)
		return plan
	case len(fixable) == 0:
		plan.Blocked = blockedReason(blocked)
		cleanUp("The drift can no longer be fixed by rewriting SHA literals alone: " + plan.Blocked + " Closing this PR; see the tracking issue.")
		return plan
	}

	// An immutable release whose bytes changed holds back every file: it
	// is a security incident, and a PR bumping other pins would read as
	// business as usual.
	if imm := immutableAssets(f, append(slices.Clone(fixable), blocked...)); len(imm) > 0 {
		plan.Blocked = fmt.Sprintf("%s %s in an immutable release whose bytes changed; that calls for a security review, not a SHA bump.",
			listSome(imm), plural(len(imm), "is", "are"))
		cleanUp("The drifted bytes are in an immutable release, which calls for a security review rather than this change. Closing; see the tracking issue.")
		return plan
	}

	plan.NotFixed = notFixed(blocked)
	title := patch.SubjectOf(fixable)
	body := Body(f)
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
	if !upToDate(f, ex.Branch) {
		push := &Push{Branch: branch, Base: f.BaseCommit, Message: patch.CommitMessageOf(fixable)}
		for _, fx := range fixable {
			push.Files = append(push.Files, File{Path: fx.File, Content: fx.Patched})
		}
		plan.Push = push
	}
	switch {
	case ex.PR == nil:
		plan.CreatePR = &NewPR{Title: title, Body: body, Head: branch, Base: f.DefaultBranch, Draft: cfg.Draft, Reviewers: cfg.Reviewers}
	case ex.PR.Title != title || ex.PR.Body != body:
		plan.UpdatePR = &PRUpdate{Number: ex.PR.Number, Title: title, Body: body}
	}
	return plan
}

// classify splits fixes into those the PR carries (complete, with
// changes) and those drifted but not completely fixable; clean files are
// in neither.
func classify(fixes []*patch.Result) (fixable, blocked []*patch.Result) {
	for _, fx := range fixes {
		switch {
		case fx == nil || fx.Verdict == patch.VerdictClean:
		case fx.Verdict == patch.VerdictComplete && fx.Changed():
			fixable = append(fixable, fx)
		case fx.Verdict != patch.VerdictComplete:
			blocked = append(blocked, fx)
		}
	}
	return fixable, blocked
}

// upToDate reports whether the branch holds exactly the fix on the base:
// every fixable file patched, every other file read as on the default
// branch (so a file whose drift resolved is no longer changed).
func upToDate(f Facts, b *Branch) bool {
	if b == nil || b.Parent != f.BaseCommit {
		return false
	}
	for _, fx := range f.Fixes {
		if fx == nil {
			continue
		}
		want := fx.Original
		if fx.Verdict == patch.VerdictComplete && fx.Changed() {
			want = fx.Patched
		}
		got, ok := b.Files[fx.File]
		if !ok || !bytes.Equal(got, want) {
			return false
		}
	}
	return true
}

// blockedReason says why no PR fixes the drift, as Markdown: the
// refusals quote the manifest's paths and URLs, so each is code.
func blockedReason(fixes []*patch.Result) string {
	var reasons []string
	for _, fix := range fixes {
		for _, r := range fix.Refused {
			reasons = append(reasons, markdown.Code(strings.TrimSuffix(r.Message, ".")))
		}
	}
	if len(reasons) == 0 {
		return "the fix could not be validated."
	}
	return listSome(reasons) + "."
}

// notFixed says, file by file, why the PR leaves blocked files alone.
func notFixed(blocked []*patch.Result) string {
	var parts []string
	for _, fx := range blocked {
		parts = append(parts, fmt.Sprintf("Not fixed in %s: %s", markdown.Code(fx.File), blockedReason([]*patch.Result{fx})))
	}
	return strings.Join(parts, " ")
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
func immutableAssets(f Facts, fixes []*patch.Result) []string {
	var out []string
	seen := map[string]bool{}
	add := func(u string) {
		if a, ok := f.Assets[u]; ok && a.Immutable && !seen[u] {
			seen[u] = true
			out = append(out, markdown.Code(u[strings.LastIndexByte(u, '/')+1:]))
		}
	}
	for _, fix := range fixes {
		for _, c := range fix.Changes {
			for _, u := range c.URLs {
				add(u)
			}
		}
		for _, r := range fix.Refused {
			for _, p := range r.Pins {
				add(p.URL)
			}
		}
	}
	return out
}
