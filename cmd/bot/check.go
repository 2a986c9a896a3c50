package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/report"
	"github.com/pindrift/pindrift/internal/verify"
	"github.com/pindrift/pindrift/internal/verify/progress"
)

// DefaultCheckTimeout bounds a whole `bot check` run.
const DefaultCheckTimeout = 2 * time.Hour

func newCheckCmd() *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check FILE...",
		Short: "Download every pinned asset, hash it, and report any that no longer match",
		Long: `check extracts the pins of a manifest (as "bot pins" does, with the same
--format, --url-field and --digest-field), fetches each distinct URL once,
streams it through the algorithm of each pin on it (sha256, sha384,
sha512) and compares the digests with every pin on that URL.

Only https URLs on public addresses are fetched unless
--allow-private-network is given. In metadata and auto modes, GitHub release
assets are looked up through the REST API (token from GITHUB_TOKEN, sent to
the API host only).

Each FILE is a path or a glob ("**" crosses directories; quote it so the
shell does not expand it): files are read in argument order, sorted within
a glob, each once, at most --max-files of them, together at most
--max-input-bytes bytes. All their pins are verified in one run, so an
asset pinned in several files is downloaded once. With several files the
report has a heading per file with its counts, then a total; --json keeps
"results" and "summary" over all files, adds "file" to each pin and a
"files" list (each file's path, summary and error); annotations and the
step summary name each pin's own file. A file that cannot be read or
evaluated is reported as not checked and the others are still checked.
With one file, every output is as it always was.

--json-file PATH writes the --json document to PATH (replaced atomically,
mode 0644) whatever stdout shows, so one run gives both the human report
and the JSON one; with --json, stdout and PATH hold the same document.

Exit status: 0 every pin verified equal; 1 at least one drift; 2 no drift,
but something could not be verified (missing, unreachable, refused,
unresolved, invalid); 3 unusable input or flags, a file that could not be
read or evaluated, or a --json-file that could not be written, when nothing
drifted (drift still exits 1: neither hides it).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runCheck(ctx, cmd, &f, args)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&f.jsonFile, "json-file", "",
		"also write the --json document to `PATH` (replaced atomically), whatever stdout shows")
	return cmd
}

func runCheck(ctx context.Context, cmd *cobra.Command, f *checkFlags, args []string) error {
	opts, saveCache, err := f.options()
	if err != nil {
		return badInput(err)
	}
	files, err := f.pins.input.files(args)
	if err != nil {
		return err
	}
	var jsonFile *report.File
	if f.jsonFile != "" {
		if jsonFile, err = report.CreateFile(f.jsonFile, files, f.cacheFile); err != nil {
			return badInput(err)
		}
		defer jsonFile.Discard()
	}
	ms, _, _, err := f.pins.readFiles(ctx, files)
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	rep, runErr := f.verifyPins(ctx, stderr, opts, saveCache, mergePins(ms))

	u, err := report.Deliver(report.Targets{Out: cmd.OutOrStdout(), Err: stderr, JSON: f.asJSON, File: jsonFile,
		Actions: os.Getenv("GITHUB_ACTIONS") == "true", StepSummary: os.Getenv("GITHUB_STEP_SUMMARY")}, ms, rep)
	if err != nil {
		return err
	}
	if u.StepSummary != nil {
		fmt.Fprintln(stderr, "bot: warning: step summary:", u.StepSummary)
	}
	code := checkExitCode(rep.Summary)
	var msg error
	if anyUnreadable(ms) {
		// As a lost report: drift keeps 1, anything else is unusable input.
		code, msg = reportLostExitCode(code), errNotRead
	}
	if u.File != nil {
		fmt.Fprintln(stderr, "bot:", u.File)
		code = reportLostExitCode(code)
	}
	if runErr != nil {
		if code == exitOK {
			code = exitPartial
		}
		return &exitError{code: code, err: fmt.Errorf("check interrupted: %w", runErr)}
	}
	if code != exitOK {
		return &exitError{code: code, err: msg}
	}
	return nil
}

// reportLostExitCode is the exit status when --json-file could not be
// written. Drift keeps 1, the verdict a CI job must not miss; otherwise 3,
// since 0 or 2 (which a job may let pass) would leave it reading a report
// that is not there.
func reportLostExitCode(verdict int) int {
	if verdict == exitDrift {
		return exitDrift
	}
	return exitBadInput
}

// verifyPins fetches and hashes res's pins within --timeout, with live
// progress on a terminal, and saves the cache afterwards. An error comes
// with a partial report: the run was cut short (deadline or signal).
func (f *checkFlags) verifyPins(ctx context.Context, stderr io.Writer, opts verify.Options, saveCache func() error,
	res *pin.Result) (*verify.Report, error) {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	var bars *progress.Bars
	if !f.quiet && isTerminal(stderr) {
		bars = progress.New(ctx, stderr)
		opts.Observer = bars
	}
	rep, runErr := verify.New(opts).Verify(ctx, res.Pins, res.Unresolved, res.Invalid)
	if bars != nil {
		bars.Wait()
	}
	if saveCache != nil {
		if err := saveCache(); err != nil {
			// The verdict is still right; only the next run's shortcut is lost.
			fmt.Fprintln(stderr, "bot: warning:", err)
		}
	}
	return rep, runErr
}

// checkExitCode is the exit-code contract: drift beats everything, then
// anything unverified.
func checkExitCode(s verify.Summary) int {
	switch {
	case s.Drift > 0:
		return exitDrift
	case s.Unverified() > 0:
		return exitPartial
	}
	return exitOK
}
