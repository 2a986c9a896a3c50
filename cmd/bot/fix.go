package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/pindrift/pindrift/internal/patch"
	"github.com/pindrift/pindrift/internal/patch/fixlocal"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/report"
	"github.com/pindrift/pindrift/internal/report/fixreport"
	"github.com/pindrift/pindrift/internal/verify"
)

// errBadReport marks a --report file that cannot be used.
var errBadReport = errors.New("unusable --report")

// DefaultFixAuthor signs --commit's commits when neither --author nor
// PINDRIFT_GIT_AUTHOR names someone.
const DefaultFixAuthor = "pindrift <pindrift@users.noreply.github.com>"

type fixFlags struct {
	check  checkFlags
	report string
	write  bool
	repo   string
	branch string
	commit bool
	author string
	sig    fixlocal.Author // author, parsed by validate for --commit
}

func newFixCmd() *cobra.Command {
	var f fixFlags
	cmd := &cobra.Command{
		Use:   "fix FILE...",
		Short: "Rewrite drifted digest literals to the digest of the live bytes",
		Long: `fix verifies the pins of a manifest as "bot check" does (or reads the
verdicts of a saved "bot check --json" report with --report) and rewrites
each drifted digest literal to the live digest, in the literal's own form
(hex in its case, a sha256: prefix, SRI base64). No
other byte of the file changes, and the patched file is extracted again to
prove every drifted pin now holds the live digest and every other pin is
unchanged.

A literal is left alone, with the reason on stderr, when it feeds several
URLs whose live bytes differ (ambiguous), when the SHA is not one plain
string literal (built from parts or a variable), or when it also feeds a URL
whose bytes were not observed.

By default the fix is printed as a unified diff on stdout. --write rewrites
FILE in place (atomically, keeping its mode). --commit commits the fix to
--branch (created at HEAD if new, and checked out) in the git repository
--repo, refusing when FILE has uncommitted changes or other changes are
staged.

Each FILE is a path or a glob, as for "bot check"; the pins of every file
are verified in one run. With several files the diffs follow one another
(one patch(1) input), --write rewrites each changed file, --commit makes
one commit changing all of them (every file must be clean), --json prints
{"files": [...], "complete", "applied"} with each file's document, and a
file that cannot be read is reported on stderr while the others are fixed.

Exit status: 0 nothing drifted, or every drift was fixed (diff printed or
applied) and everything was verified; 2 some drift could not be fixed, or
something could not be verified (the safe part of the fix is still printed
or applied); 3 unusable input or flags (including a dirty FILE for
--commit, or a file that could not be read). fix never exits 1: drift that it fixes is success.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runFix(ctx, cmd, &f, args)
		},
	}
	f.check.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.report, "report", "", `take the live digests from this saved "bot check --json" report instead of fetching`)
	fl.BoolVar(&f.write, "write", false, "rewrite FILE in place instead of printing a diff")
	fl.StringVar(&f.repo, "repo", ".", "git repository holding FILE, for --commit")
	fl.StringVar(&f.branch, "branch", "", "branch to commit the fix to, created at HEAD if it does not exist (--commit)")
	fl.BoolVar(&f.commit, "commit", false, "write FILE on --branch of --repo and commit the fix")
	fl.StringVar(&f.author, "author", envOr("PINDRIFT_GIT_AUTHOR", DefaultFixAuthor), `commit author as "Name <email>" (--commit)`)
	return cmd
}

func runFix(ctx context.Context, cmd *cobra.Command, f *fixFlags, args []string) error {
	stderr := cmd.ErrOrStderr()
	if err := f.validate(cmd); err != nil {
		return badInput(err)
	}
	if _, err := f.check.pins.options(); err != nil {
		return badInput(err)
	}
	var fetch fetchPlan
	if f.report == "" {
		var err error
		if fetch.opts, fetch.saveCache, err = f.check.options(); err != nil {
			return badInput(err)
		}
		fetch.opts.UserAgent = "pindrift-bot-fix"
	}
	files, err := f.check.pins.input.files(args)
	if err != nil {
		return err
	}
	var repo *fixlocal.Repo
	if f.commit {
		// Refuse a dirty file before spending minutes on downloads.
		if repo, err = fixlocal.Open(f.repo, f.branch, files...); err != nil {
			return badInput(err)
		}
		if err := repo.CheckClean(); err != nil {
			return badInput(err)
		}
	}
	// Read once, so the fix patches exactly the bytes whose pins were
	// verified.
	ms, src, opts, err := f.check.pins.readFiles(ctx, files)
	if err != nil {
		return err
	}
	all := mergePins(ms)

	live, runErr := f.liveDigests(ctx, cmd, fetch, all)
	if errors.Is(runErr, errBadReport) {
		return badInput(runErr)
	}
	if runErr != nil {
		fmt.Fprintln(stderr, "bot: warning: verification was cut short:", runErr)
	}

	fixes := make([]fixreport.File, len(ms))
	var readable []string
	for i, m := range ms {
		fixes[i] = fixreport.File{Path: m.File, Err: m.Err}
		if m.Err != nil {
			fmt.Fprintf(stderr, "bot: not fixed: %v\n", m.Err)
			continue
		}
		if fixes[i].Fix, err = patch.Fix(ctx, m.File, src[m.File], opts, live); err != nil {
			return badInput(err)
		}
		readable = append(readable, m.File)
	}
	unverified := patch.Unverified(all, live)

	applied, err := f.apply(ctx, fixes, readable, opts, live, repo)
	if err != nil {
		return badInput(err)
	}
	if err := f.print(cmd.OutOrStdout(), fixes, applied); err != nil {
		return err
	}
	fixreport.WriteRefusals(stderr, overall(fixes), unverified)

	if anyUnreadable(ms) {
		return &exitError{code: exitBadInput, err: errNotRead}
	}
	if code := fixExitCode(fixes, unverified, runErr); code != exitOK {
		return &exitError{code: code}
	}
	return nil
}

func (f *fixFlags) validate(cmd *cobra.Command) error {
	fl := cmd.Flags()
	if f.commit && f.branch == "" {
		return fmt.Errorf("--commit needs --branch NAME")
	}
	if f.commit {
		sig, err := fixlocal.ParseAuthor(f.author)
		if err != nil {
			return err
		}
		f.sig = sig
	}
	if !f.commit && (fl.Changed("repo") || fl.Changed("branch") || fl.Changed("author")) {
		return fmt.Errorf("--repo, --branch and --author only make sense with --commit")
	}
	if f.report != "" {
		for _, name := range []string{"mode", "cache", "concurrency", "per-host", "tries", "stall-timeout",
			"min-bytes-per-second", "slow-grace", "download-timeout",
			"max-asset-bytes", "max-total-bytes", "allow-private-network", "github-api-url", "github-url"} {
			if fl.Changed(name) {
				return fmt.Errorf("--%s has no effect with --report, which fetches nothing", name)
			}
		}
	}
	return nil
}

// liveDigests fetches res's pins, or reads --report. An error wrapping
// errBadReport is unusable input; any other error comes with the digests
// observed before the run was cut short.
func (f *fixFlags) liveDigests(ctx context.Context, cmd *cobra.Command, fetch fetchPlan, res *pin.Result) (map[string]patch.Live, error) {
	if f.report != "" {
		outcomes, err := report.ReadOutcomes(f.report)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", errBadReport, err)
		}
		return patch.LiveFromOutcomes(outcomes), nil
	}
	rep, runErr := f.check.verifyPins(ctx, cmd.ErrOrStderr(), fetch.opts, fetch.saveCache, res)
	return patch.LiveFromOutcomes(rep.Outcomes), runErr
}

// fetchPlan is how liveDigests fetches when there is no --report.
type fetchPlan struct {
	opts      verify.Options
	saveCache func() error
}

// fixExitCode: 0 when everything was verified and every drift fixed, 2
// otherwise.
func fixExitCode(fixes []fixreport.File, unverified int, runErr error) int {
	for _, fl := range fixes {
		if fl.Fix != nil && !fl.Fix.Complete {
			return exitPartial
		}
	}
	if unverified > 0 || runErr != nil {
		return exitPartial
	}
	return exitOK
}
