package remedy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/patch"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/verify"
)

// Input is one verification of a repository's manifests and how the
// repository wants the result handled.
type Input struct {
	Repo          issues.Repo
	DefaultBranch string
	// Commit is the default branch's head, where every file was read.
	Commit string
	// Files are the configured manifests, in the configuration's order.
	Files []File
	// Extract evaluates each file's Source (and the patched bytes) when
	// computing the fix; nil means extract.File, in process. The App
	// passes its sandbox: Source is repository content.
	Extract pin.ExtractFunc
	// Report is one verification of the pins of every file that was
	// read; each pin and finding names its file (pin.Pin.File). nil
	// reads as an empty report: no file could be read.
	Report *verify.Report
	// Assets holds release facts (upload time, uploader, immutable) by URL.
	Assets  map[string]issues.AssetFacts
	Trigger string
	Time    time.Time
	Issue   issues.Config
	PR      fixpr.Config
}

// File is one configured manifest.
type File struct {
	Path    string
	Source  []byte
	Options pin.Options
	// Err is why the file could not be read or evaluated (absent, too
	// large, a syntax error, ...); Source is then nil. The tracking issue
	// says so under the file, and the file is left out of the fix.
	Err error
}

// Result is what the run left on GitHub.
type Result struct {
	Issue   int // the open tracking issue, 0 if none
	PR      int // the open fix PR, 0 if none
	Blocked string
}

// Run brings the fix PR and the tracking issue in line with in.Report.
// Every step reads GitHub's current state first, so running it twice with
// the same input changes nothing the second time.
//
// Over several files: the issue groups drift and problems by file; a file
// that could not be read is listed there, keeps the issue open (nobody
// knows its pins are fine) and is left out of the fix; a file whose fix is
// blocked (an ambiguous literal, ...) is left as it is while the others
// are fixed, and both the PR and the issue say so.
func Run(ctx context.Context, in Input, ic issues.Client, pc fixpr.Client) (Result, error) {
	var res Result
	if len(in.Files) == 0 {
		return res, errors.New("remedy: no manifest to act on")
	}
	report := in.Report
	if report == nil {
		// Every file failed to read: nothing was verified.
		report = &verify.Report{}
	}
	// A pin that names no file comes from a report on one file.
	fallback := ""
	if len(in.Files) == 1 {
		fallback = in.Files[0].Path
	}
	drift, problems := issues.FromReport(fallback, report, in.Assets)
	run := issues.Run{Repo: in.Repo, Commit: in.Commit, Trigger: in.Trigger, Time: in.Time,
		Drift: drift, Problems: problems}
	for _, f := range in.Files {
		file := issues.File{Path: f.Path}
		if f.Err != nil {
			file.Unread = f.Err.Error()
		}
		run.Files = append(run.Files, file)
	}

	existing, err := ic.TrackingIssues(ctx, in.Repo)
	if err != nil {
		return res, fmt.Errorf("tracking issues: %w", err)
	}
	openIssue := 0
	if len(existing.Open) > 0 {
		openIssue = existing.Open[0].Number
	}

	var (
		prFacts fixpr.Facts
		prEx    fixpr.Existing
		prPlan  fixpr.Plan
	)
	if in.PR.Enabled {
		prFacts, prEx, err = prState(ctx, in, report, pc)
		if err != nil {
			return res, err
		}
		prFacts.TrackingIssue = openIssue
		prPlan = fixpr.Decide(prFacts, prEx, in.PR)
		run.FixBlocked, run.FixNotFixed = prPlan.Blocked, prPlan.NotFixed
		if prEx.PR != nil && prPlan.ClosePR == 0 {
			run.FixPR = &issues.PullRef{Number: prEx.PR.Number}
		}
	}

	issueNum, err := issues.Apply(ctx, ic, in.Repo, issues.Decide(run, existing, in.Issue))
	if err != nil {
		return res, fmt.Errorf("tracking issue: %w", err)
	}
	res.Issue, res.Blocked = issueNum, prPlan.Blocked
	if !in.PR.Enabled {
		return res, nil
	}

	if issueNum != openIssue {
		// A new or reopened issue: the PR links to it.
		prFacts.TrackingIssue = issueNum
		prPlan = fixpr.Decide(prFacts, prEx, in.PR)
	}
	prNum, err := applyPR(ctx, pc, in.Repo, prPlan)
	if err != nil {
		return res, fmt.Errorf("fix pull request: %w", err)
	}
	switch {
	case prNum != 0:
		res.PR = prNum
	case prEx.PR != nil && prPlan.ClosePR == 0:
		res.PR = prEx.PR.Number
	}

	// The issue must link to a PR opened just now.
	if res.PR != 0 && (run.FixPR == nil || run.FixPR.Number != res.PR) && issueNum != 0 {
		run.FixPR = &issues.PullRef{Number: res.PR}
		existing, err := ic.TrackingIssues(ctx, in.Repo)
		if err != nil {
			return res, fmt.Errorf("tracking issues: %w", err)
		}
		if _, err := issues.Apply(ctx, ic, in.Repo, issues.Decide(run, existing, in.Issue)); err != nil {
			return res, fmt.Errorf("link the fix PR from the tracking issue: %w", err)
		}
	}
	return res, nil
}

// prState computes the fix of every file that was read, on the default
// branch, and reads the App's branch, PR and the provenance of the new
// digests.
func prState(ctx context.Context, in Input, report *verify.Report, pc fixpr.Client) (fixpr.Facts, fixpr.Existing, error) {
	f := fixpr.Facts{Repo: in.Repo, DefaultBranch: in.DefaultBranch, BaseCommit: in.Commit, Assets: in.Assets,
		Attestations: map[string]fixpr.Attestation{}}
	extractFn := in.Extract
	if extractFn == nil {
		extractFn = extract.File
	}
	live := patch.LiveFromOutcomes(report.Outcomes)
	drifted := driftedFiles(in, report)
	var paths []string
	for _, file := range in.Files {
		if file.Err != nil {
			f.Unread = append(f.Unread, file.Path)
			continue
		}
		paths = append(paths, file.Path)
		if !drifted[file.Path] {
			// Nothing of it to rewrite: no second evaluation of it.
			f.Fixes = append(f.Fixes, patch.Clean(file.Path, file.Source))
			continue
		}
		fix, err := patch.FixWith(ctx, extractFn, file.Path, file.Source, file.Options, live)
		if err != nil {
			if ctx.Err() != nil {
				return f, fixpr.Existing{}, fmt.Errorf("compute the fix of %s: %w", file.Path, ctx.Err())
			}
			// The manifest verified a moment ago; failing to re-read it is
			// a bug or a race (the sandbox under load), and no fix is
			// offered for any file. Its error is not passed on as such: it
			// would read as the manifest's own fault, which ends the job
			// for good; this one is retried.
			return f, fixpr.Existing{}, fmt.Errorf("compute the fix of %s: %v", file.Path, err)
		}
		f.Fixes = append(f.Fixes, fix)
	}
	branch := in.PR.Branch
	if branch == "" {
		branch = fixpr.DefaultBranch
	}
	ex, err := pc.State(ctx, in.Repo, branch, in.Commit, paths)
	if err != nil {
		return f, ex, fmt.Errorf("fix branch: %w", err)
	}
	for _, fix := range f.Fixes {
		if fix.Verdict != patch.VerdictComplete {
			continue
		}
		for _, c := range fix.Changes {
			// GitHub attests SHA-256 subjects only: other pins go unlooked.
			k := c.Promise()
			d := k.Hex
			if _, done := f.Attestations[d]; done || k.Algorithm != pin.SHA256 {
				continue
			}
			a, err := pc.Attestation(ctx, in.Repo, d)
			if err != nil {
				return f, ex, fmt.Errorf("attestation of %s: %w", d, err)
			}
			f.Attestations[d] = a
		}
	}
	return f, ex, nil
}

func applyPR(ctx context.Context, pc fixpr.Client, repo issues.Repo, p fixpr.Plan) (created int, err error) {
	if p.Push != nil {
		if err := pc.Push(ctx, repo, *p.Push); err != nil {
			return 0, err
		}
	}
	if p.CreatePR != nil {
		if created, err = pc.CreatePR(ctx, repo, *p.CreatePR); err != nil {
			return created, err
		}
	}
	if p.UpdatePR != nil {
		if err := pc.UpdatePR(ctx, repo, *p.UpdatePR); err != nil {
			return created, err
		}
	}
	if p.Comment != nil {
		if err := pc.Comment(ctx, repo, p.Comment.Number, p.Comment.Body); err != nil {
			return created, err
		}
	}
	if p.ClosePR != 0 {
		if err := pc.ClosePR(ctx, repo, p.ClosePR); err != nil {
			return created, err
		}
	}
	if p.DeleteBranch != "" {
		if err := pc.DeleteBranch(ctx, repo, p.DeleteBranch); err != nil {
			return created, err
		}
	}
	return created, nil
}

// driftedFiles are the files holding a pin verification found drifted; a
// pin that names no file belongs to the one file of a one-file input.
func driftedFiles(in Input, report *verify.Report) map[string]bool {
	out := map[string]bool{}
	for _, o := range report.Outcomes {
		for _, p := range o.Drifted() {
			file := p.File
			if file == "" && len(in.Files) == 1 {
				file = in.Files[0].Path
			}
			out[file] = true
		}
	}
	return out
}
