// Package runner is the work behind a job: verify one repository's
// manifests at the head of its default branch and bring the tracking issue
// and the fix PR in line with what was found, or check a pull request's
// manifest. It reads everything it needs through the installation's
// GitHub, so it runs the same in any replica and can be retried.
//
// Runner owns the decisions of a run (what to read, whether a check run is
// due, its conclusion and text, who may ask for a recheck) and talks to
// GitHub only through the GitHub interface. It must not import go-github:
// the implementation on go-github is package ghrunner, the in-memory fake
// for tests is runnertest.
package runner

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/remedy"
	"github.com/pindrift/pindrift/internal/repoconfig"
	"github.com/pindrift/pindrift/internal/sandbox"
	"github.com/pindrift/pindrift/internal/shortsha"
	"github.com/pindrift/pindrift/internal/verify"
)

// Settings is a repository's configuration, as the runner needs it.
type Settings struct {
	Manifests []Manifest
	Mode      verify.Mode
	Issue     issues.Config
	PR        fixpr.Config
	// OwnerDefault reports that the configuration is the owner's default,
	// from its .github repository: its lines are not this repository's,
	// so no check run here can annotate them.
	OwnerDefault bool
}

// Manifest is one configured manifest file.
type Manifest struct {
	Path    string
	Options pin.Options
	// Line and Column are where the configuration lists the manifest's
	// path (repoconfig.Manifest's), for an annotation when the manifest
	// cannot be read; 0 when unknown.
	Line, Column int
}

// Deps are what the runner needs from the process.
type Deps struct {
	// Installation returns the GitHub of the App's installation id
	// (ghrunner.Installations builds it from a go-github client).
	Installation func(ctx context.Context, id int64) (GitHub, error)
	WebURL       string // web root that links and release URLs start with
	// Verify holds the server's verification settings; the mode comes from
	// the repository and the resolver and cache are set per run.
	Verify verify.Options
	// UntrustedPR is the download budget of a pull request whose author
	// cannot write to the repository; such a run also takes GitHub's
	// digest of an asset when it has one rather than downloading it.
	UntrustedPR Budget
	Cache       verify.Cache
	Now         func() time.Time
	// Recheck takes a repository's "/pindrift recheck" turn, limiting how
	// often people can make it download every asset; nil lets every
	// recheck run (the CLI, tests).
	Recheck func(ctx context.Context, owner, repo string, now time.Time) (RecheckTurn, error)
	// Extract evaluates repository manifests, in read and for the fix;
	// nil means extract.File in process. The server passes its
	// sandbox, so a manifest that crashes or exhausts the evaluator costs
	// one job, not the process.
	Extract pin.ExtractFunc
	// Discoveries remembers where discovery found nothing, so a sweep
	// does not search an unchanged repository again; nil searches every
	// time (the CLI, tests).
	Discoveries Discoveries
}

// Budget is a download budget and the name its exhaustion is reported by.
type Budget struct {
	Bytes int64
	Name  string
}

// Runner does the work of jobs.
type Runner struct{ d Deps }

// New returns a Runner.
func New(d Deps) *Runner {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Extract == nil {
		d.Extract = extract.File
	}
	return &Runner{d: d}
}

// Outcome summarises a run, for logs, metrics and tests.
type Outcome struct {
	Commit  string
	Summary verify.Summary
	Report  *verify.Report
	Remedy  remedy.Result
}

// IsPermanent reports errors that running again cannot fix: the
// configuration or the manifest must change first. A manifest the sandbox
// stopped (*sandbox.LimitError) is one: it would meet the same limit.
func IsPermanent(err error) bool {
	var ce *repoconfig.Error
	var se *pin.SyntaxError
	var be *pin.BudgetError
	var te *pin.TooLargeError
	var le *sandbox.LimitError
	var me *ManifestError
	return errors.As(err, &ce) || errors.As(err, &se) || errors.As(err, &be) || errors.As(err, &te) ||
		errors.As(err, &le) || errors.As(err, &me)
}

// VerifyRepo verifies the head of the repository's default branch and
// updates the tracking issue and fix PR. A repository without
// configuration is left alone.
func (r *Runner) VerifyRepo(ctx context.Context, j VerifyRequest) (Outcome, error) {
	var out Outcome
	owner, name := j.Owner, j.Repo
	repo := issues.Repo{Owner: owner, Name: name, WebURL: r.d.WebURL}
	log := zerolog.Ctx(ctx) // the job worker named the installation and repository
	gh, err := r.d.Installation(ctx, j.InstallationID)
	if err != nil {
		return out, fmt.Errorf("installation %d: %w", j.InstallationID, err)
	}
	if j.RequireWrite != "" {
		ok, err := hasWrite(ctx, gh, repo, j.RequireWrite)
		if err != nil {
			return out, err
		}
		if !ok {
			log.Info().Str("user", j.RequireWrite).Bool("onboard", j.Onboard).Msg("asked by a user without write access; ignored")
			return out, nil
		}
		if r.d.Recheck != nil && !j.Onboard { // onboarding downloads nothing; the turn is for rechecks
			if ran, err := r.recheckTurn(ctx, gh, j); err != nil || !ran {
				return out, err
			}
		}
	}
	repoInfo, err := gh.Repository(ctx, repo)
	if err != nil {
		return out, fmt.Errorf("get %s/%s: %w", owner, name, err)
	}
	branch := repoInfo.DefaultBranch
	out.Commit, err = gh.BranchHead(ctx, repo, branch)
	if err != nil {
		return out, fmt.Errorf("get %s/%s branch %s: %w", owner, name, branch, err)
	}

	settings, err := gh.Settings(ctx, repo, out.Commit)
	if wantsOnboarding(j, err) {
		return out, r.onboard(ctx, gh, j, repoInfo, out.Commit, err)
	}
	if errors.Is(err, repoconfig.ErrNotConfigured) {
		log.Debug().Msg("no pindrift configuration; nothing to do")
		return out, nil
	}
	var ce *repoconfig.Error
	if errors.As(err, &ce) {
		// Said where the user looks: a failing check on a push, a comment
		// on the tracking issue (or an issue of its own) otherwise.
		// Nothing else happens.
		if j.PushSHA != "" {
			return out, r.postCheck(ctx, gh, repo, out.Commit, checkFromError(repoconfig.Path, err))
		}
		return out, issues.ApplyConfigError(ctx, gh.Issues(), repo, repoconfig.Path, err)
	}
	if err != nil {
		// GitHub could not be read: worth a retry, not a report.
		return out, fmt.Errorf("configuration of %s/%s: %w", owner, name, err)
	}
	if err := issues.ApplyConfigFixed(ctx, gh.Issues(), repo, out.Commit, j.Trigger); err != nil {
		return out, err
	}
	wantCheck := j.PushSHA != "" && touches(j.Paths, settings)
	reads, err := r.readAll(ctx, gh, repo, settings.Manifests, allIndexes(settings.Manifests), out.Commit)
	if err != nil {
		return out, fmt.Errorf("%s/%s: %w", owner, name, err)
	}
	resolver, err := gh.Releases(repoInfo)
	if err != nil {
		return out, err
	}
	rep, err := r.verify(ctx, r.d.Verify, settings, resolver, reads)
	if err != nil {
		return out, fmt.Errorf("verify %s/%s: %w", owner, name, err)
	}
	out.Summary, out.Report = rep.Summary, rep

	files := make([]remedy.File, 0, len(reads))
	for _, rd := range reads {
		f := remedy.File{Path: rd.Path, Source: rd.Source, Options: rd.Options}
		if rd.Err != nil {
			f.Source, f.Err = nil, rd.Err
		}
		files = append(files, f)
	}
	var remedyErr error
	out.Remedy, remedyErr = remedy.Run(ctx, remedy.Input{
		Repo: repo, DefaultBranch: branch, Commit: out.Commit, Files: files, Extract: r.d.Extract,
		Report: rep, Assets: r.assetFacts(ctx, resolver, rep), Trigger: j.Trigger, Time: r.d.Now(),
		Issue: settings.Issue, PR: settings.PR,
	}, gh.Issues(), gh.FixPR())
	if remedyErr != nil {
		remedyErr = fmt.Errorf("%s/%s: %w", owner, name, remedyErr)
	}
	if wantCheck {
		// Posted even when the issue or the PR could not be brought in
		// line: the check is about the pushed commit, and the remedy's
		// error still fails the job for a retry.
		if err := r.postCheck(ctx, gh, repo, out.Commit, checkFromRun(reads, rep, settings.OwnerDefault)); err != nil {
			return out, errors.Join(remedyErr, err)
		}
	}
	if remedyErr != nil {
		return out, remedyErr
	}
	if n := unreadable(reads); n > 0 && out.Remedy.Issue == 0 && !wantCheck {
		// remedy opens the tracking issue for unreadable manifests, unless
		// a person closed it while the same files were unreadable, which
		// is theirs to decide. Logged for the operator.
		log.Warn().Int("unreadable", n).Msg("manifests could not be read and no tracking issue is open")
	}
	log.Info().Str("commit", out.Commit).Int("manifests", len(reads)).Int("unreadable", unreadable(reads)).
		Int("drift", rep.Summary.Drift).Int("missing", rep.Summary.Missing).Int("issue", out.Remedy.Issue).
		Int("pr", out.Remedy.PR).Msg("verified")
	return out, nil
}

// CheckPR verifies the manifests as a pull request has them and posts the
// result as one check run on the PR's head commit: success, failure with
// annotations on drifted SHA lines and on manifests the PR deletes or
// breaks, or neutral. It opens no issue and no PR. Only the configured
// manifests the PR changes are checked (all of them when GitHub's list of
// changed files may be cut short); a pull request that changes none gets
// no check. The configuration is read from the base commit, so a PR
// cannot turn its own check off; a PR that changes the configuration has
// its version checked too (see prManifests), and a problem in it fails
// the check.
func (r *Runner) CheckPR(ctx context.Context, j PRRequest) (Check, error) {
	owner, name := j.Owner, j.Repo
	repo := issues.Repo{Owner: owner, Name: name, WebURL: r.d.WebURL}
	gh, err := r.d.Installation(ctx, j.InstallationID)
	if err != nil {
		return Check{}, fmt.Errorf("installation %d: %w", j.InstallationID, err)
	}
	pr, err := gh.PullRequest(ctx, repo, j.Number)
	if err != nil {
		return Check{}, fmt.Errorf("get %s/%s#%d: %w", owner, name, j.Number, err)
	}
	base := pr.BaseSHA
	files, err := gh.ChangedFiles(ctx, repo, base, j.HeadSHA)
	if err != nil {
		return Check{}, fmt.Errorf("compare %s...%s in %s/%s: %w", shortsha.Of(base, shortsha.Commit), shortsha.Of(j.HeadSHA, shortsha.Commit), owner, name, err)
	}
	settings, err := gh.Settings(ctx, repo, base)
	var ce *repoconfig.Error
	if err != nil && !errors.Is(err, repoconfig.ErrNotConfigured) && !errors.As(err, &ce) {
		return Check{}, fmt.Errorf("configuration of %s/%s at %s: %w", owner, name, shortsha.Of(base, shortsha.Commit), err)
	}
	var head *Settings
	if changesConfig(files) {
		// The pull request's own configuration is checked, so that a
		// problem in it fails this check rather than the push after the
		// merge. It is not trusted beyond that: a pull request cannot
		// turn off the checks the default branch's configuration asks.
		head, err = gh.Settings(ctx, repo, j.HeadSHA)
		var hce *repoconfig.Error
		switch {
		case errors.As(err, &hce):
			c := checkFromError(repoconfig.Path, err)
			return c, r.postCheckFor(ctx, gh, repo, j.HeadSHA, PRExternalID(j.Number), c)
		case errors.Is(err, repoconfig.ErrNotConfigured):
			head = nil // the pull request removes the configuration
		case err != nil:
			return Check{}, fmt.Errorf("configuration of %s/%s at %s: %w", owner, name, shortsha.Of(j.HeadSHA, shortsha.Commit), err)
		}
	}
	listed := settings // what the default branch asks to check
	switch {
	case settings == nil && head != nil:
		// Nothing at the base to turn off: the pull request configures
		// the repository, or repairs its configuration, and every
		// manifest it lists is new.
		settings, listed = head, &Settings{}
	case ce != nil:
		c := checkFromError(repoconfig.Path, ce)
		return c, r.postCheckFor(ctx, gh, repo, j.HeadSHA, PRExternalID(j.Number), c)
	case settings == nil:
		return Check{}, nil
	}
	ms, indexes := prManifests(listed, head, files)
	if len(ms) == 0 {
		return Check{}, nil
	}
	reads, err := r.readAll(ctx, gh, repo, ms, indexes, j.HeadSHA)
	if err != nil {
		return Check{}, fmt.Errorf("%s/%s#%d: %w", owner, name, j.Number, err)
	}
	if reads = withoutRemoved(reads, head); len(reads) == 0 {
		return Check{}, nil
	}
	resolver, err := gh.Releases(pr.Base)
	if err != nil {
		return Check{}, err
	}
	rep, err := r.verify(ctx, r.prOptions(ctx, gh, repo, pr.Author), settings, resolver, reads)
	if err != nil {
		return Check{}, fmt.Errorf("verify %s/%s#%d: %w", owner, name, j.Number, err)
	}
	ownerDefault := settings.OwnerDefault
	if head != nil {
		ownerDefault = head.OwnerDefault // every line annotated is head's
	}
	c := checkFromRun(reads, rep, ownerDefault)
	return c, r.postCheckFor(ctx, gh, repo, j.HeadSHA, PRExternalID(j.Number), c)
}

// prManifests picks the manifests a pull request's check verifies, with
// their places in the configuration: those of base (the default branch's
// configuration) that the pull request changes (renaming or deleting one
// changes it), all of them when the list of changed files may be cut
// short; and, when the pull request changes the configuration (head, nil
// otherwise), those head adds. A manifest listed in both is placed as
// head lists it, since the annotations are on the pull request's files.
func prManifests(base, head *Settings, files []ChangedFile) ([]Manifest, []int) {
	all := len(files) >= MaxChangedFiles
	changed := map[string]bool{}
	for _, f := range files {
		changed[f.Name] = true
		if f.PreviousName != "" {
			changed[f.PreviousName] = true
		}
	}
	inBase := map[string]bool{}
	for _, m := range base.Manifests {
		inBase[m.Path] = true
	}
	var out []Manifest
	var indexes []int
	picked := map[string]bool{}
	if head != nil {
		for i, m := range head.Manifests {
			if all || changed[m.Path] || !inBase[m.Path] {
				out, indexes, picked[m.Path] = append(out, m), append(indexes, i), true
			}
		}
	}
	for i, m := range base.Manifests {
		if (all || changed[m.Path]) && !picked[m.Path] {
			if head != nil {
				m.Line, m.Column = 0, 0 // the pull request's configuration no longer lists it
			}
			out, indexes = append(out, m), append(indexes, i)
		}
	}
	return out, indexes
}

// withoutRemoved drops the manifests a pull request deletes together
// with their entries in its configuration (head): removing a manifest on
// purpose is no failure. One deleted while still listed is.
func withoutRemoved(reads []manifestRead, head *Settings) []manifestRead {
	if head == nil {
		return reads
	}
	listed := map[string]bool{}
	for _, m := range head.Manifests {
		listed[m.Path] = true
	}
	return slices.DeleteFunc(reads, func(rd manifestRead) bool {
		return rd.Err != nil && errors.Is(rd.Err, ErrNoFile) && !listed[rd.Path]
	})
}

// changesConfig reports whether a comparison changes the configuration,
// or may: GitHub cuts the list of changed files short.
func changesConfig(files []ChangedFile) bool {
	if len(files) >= MaxChangedFiles {
		return true
	}
	for _, f := range files {
		if f.Name == repoconfig.Path || f.PreviousName == repoconfig.Path {
			return true
		}
	}
	return false
}

func allIndexes(ms []Manifest) []int {
	out := make([]int, len(ms))
	for i := range out {
		out[i] = i
	}
	return out
}

// touches reports whether a push changed the configuration or a manifest;
// unknown paths count as touching.
func touches(paths []string, s *Settings) bool {
	if paths == nil {
		return true
	}
	for _, p := range paths {
		if p == repoconfig.Path {
			return true
		}
		for _, m := range s.Manifests {
			if p == m.Path {
				return true
			}
		}
	}
	return false
}

// verify checks the pins of every manifest read in one verification, so
// that an asset pinned in several files is downloaded once.
func (r *Runner) verify(ctx context.Context, opts verify.Options, s *Settings, resolver Releases, reads []manifestRead) (*verify.Report, error) {
	opts.Mode, opts.Resolver, opts.Cache = s.Mode, resolver, r.d.Cache
	all := allPins(reads)
	return verify.New(opts).Verify(ctx, all.Pins, all.Unresolved, all.Invalid)
}

// assetFacts looks up release facts for the drifted URLs; a lookup that
// fails leaves the facts unknown rather than failing the run.
func (r *Runner) assetFacts(ctx context.Context, res Releases, rep *verify.Report) map[string]issues.AssetFacts {
	facts := map[string]issues.AssetFacts{}
	for _, o := range rep.Outcomes {
		if o.Status != verify.StatusDrift {
			continue
		}
		f := issues.AssetFacts{Size: -1}
		if loc, ok := res.Locate(o.URL); ok {
			f.Name, f.ReleaseTag, f.ReleaseURL = loc.Name, loc.Tag, loc.ReleasePage
		}
		info, err := res.Resolve(ctx, o.URL)
		if err == nil {
			f.Size, f.UploadedAt, f.Uploader, f.Immutable = info.Size, info.UpdatedAt, info.Uploader, info.Immutable
		} else if !errors.Is(err, verify.ErrNotReleaseAsset) {
			// Worth a log line, not a failed run: the facts only decorate
			// the tracking issue.
			zerolog.Ctx(ctx).Warn().Err(err).Str("url", o.URL).Msg("release facts unavailable")
		}
		facts[o.URL] = f
	}
	return facts
}
