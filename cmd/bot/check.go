package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/shortsha"
	"github.com/pindrift/pindrift/internal/verify"
	"github.com/pindrift/pindrift/internal/verify/ghrelease"
)

// DefaultCheckTimeout bounds a whole `bot check` run.
const DefaultCheckTimeout = 2 * time.Hour

type checkFlags struct {
	pins         pinsFlags
	mode         string
	concurrency  int
	perHost      int
	tries        int
	stall        time.Duration
	minRate      int64
	slowGrace    time.Duration
	dlTimeout    time.Duration
	timeout      time.Duration
	maxAsset     int64
	maxTotal     int64
	allowPrivate bool
	cacheFile    string
	asJSON       bool
	jsonFile     string // check only: fix has its own JSON document
	quiet        bool
	githubAPIURL string
	githubURL    string
}

func newCheckCmd() *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check FILE",
		Short: "Download every pinned asset, hash it, and report any that no longer match",
		Long: `check extracts the pins of a Python manifest (as "bot pins" does), fetches
each distinct URL once, streams it through SHA-256 and compares the digest
with every pin on that URL.

Only https URLs on public addresses are fetched unless
--allow-private-network is given. In metadata and auto modes, GitHub release
assets are looked up through the REST API (token from GITHUB_TOKEN, sent to
the API host only).

--json-file PATH writes the --json document to PATH (replaced atomically,
mode 0644) whatever stdout shows, so one run gives both the human report
and the JSON one; with --json, stdout and PATH hold the same document.

Exit status: 0 every pin verified equal; 1 at least one drift; 2 no drift,
but something could not be verified (missing, unreachable, refused,
unresolved, invalid); 3 unusable input or flags, or a --json-file that could
not be written when nothing drifted (drift still exits 1: a lost report
never hides it).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runCheck(ctx, cmd, &f, args[0])
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&f.jsonFile, "json-file", "",
		"also write the --json document to `PATH` (replaced atomically), whatever stdout shows")
	return cmd
}

// register adds check's flags to cmd; fix shares them.
func (f *checkFlags) register(cmd *cobra.Command) {
	f.pins.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.mode, "mode", string(verify.ModeFull),
		"full: download everything; metadata: trust GitHub's asset digest where there is one; auto: download unless --cache verified this exact upload")
	fl.IntVar(&f.concurrency, "concurrency", verify.DefaultConcurrency, "transfers in flight")
	fl.IntVar(&f.perHost, "per-host", verify.DefaultPerHost, "transfers in flight per host")
	fl.IntVar(&f.tries, "tries", verify.DefaultTries, "attempts per URL for transient failures")
	fl.DurationVar(&f.stall, "stall-timeout", verify.DefaultStallTimeout, "fail a transfer that receives no byte for this long")
	fl.Int64Var(&f.minRate, "min-bytes-per-second", verify.DefaultMinBytesPerSecond,
		"fail a transfer slower than this over any --slow-grace period, without a retry (0: no minimum)")
	fl.DurationVar(&f.slowGrace, "slow-grace", verify.DefaultSlowGrace, "the period --min-bytes-per-second is measured over")
	fl.DurationVar(&f.dlTimeout, "download-timeout", verify.DefaultDownloadTimeout, "fail a transfer not finished after this long, without a retry")
	fl.DurationVar(&f.timeout, "timeout", DefaultCheckTimeout, "deadline for the whole run")
	fl.Int64Var(&f.maxAsset, "max-asset-bytes", verify.DefaultMaxAssetBytes, "refuse an asset larger than this")
	fl.Int64Var(&f.maxTotal, "max-total-bytes", verify.DefaultMaxTotalBytes, "refuse transfers once the run has read this many bytes")
	fl.BoolVar(&f.allowPrivate, "allow-private-network", false,
		"also fetch http URLs and private, loopback and link-local addresses (tests, private mirrors)")
	fl.StringVar(&f.cacheFile, "cache", "", "JSON file remembering download-verified digests, for --mode auto")
	fl.BoolVar(&f.asJSON, "json", false, "print one JSON object instead of the human report")
	fl.BoolVar(&f.quiet, "quiet", false, "no progress display")
	fl.StringVar(&f.githubAPIURL, "github-api-url", envOr("GITHUB_API_URL", ghrelease.DefaultAPIURL),
		"GitHub REST API root (GitHub Enterprise: https://HOST/api/v3)")
	fl.StringVar(&f.githubURL, "github-url", envOr("GITHUB_SERVER_URL", ghrelease.DefaultWebURL),
		"GitHub web root that release download URLs start with")
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// options turns the flags into engine options; saveCache, if not nil,
// writes the cache back after the run.
func (f *checkFlags) options() (opts verify.Options, saveCache func() error, err error) {
	mode, ok := verify.ParseMode(f.mode)
	if !ok {
		return opts, nil, fmt.Errorf("--mode %q: want full, metadata or auto", f.mode)
	}
	for name, v := range map[string]int64{"--concurrency": int64(f.concurrency), "--per-host": int64(f.perHost),
		"--tries": int64(f.tries), "--max-asset-bytes": f.maxAsset, "--max-total-bytes": f.maxTotal} {
		if v < 1 {
			return opts, nil, fmt.Errorf("%s must be at least 1", name)
		}
	}
	if f.stall <= 0 || f.timeout <= 0 || f.slowGrace <= 0 || f.dlTimeout <= 0 {
		return opts, nil, fmt.Errorf("--stall-timeout, --slow-grace, --download-timeout and --timeout must be positive")
	}
	if f.minRate < 0 {
		return opts, nil, fmt.Errorf("--min-bytes-per-second must be 0 (no minimum) or more, not %d", f.minRate)
	}
	minRate := f.minRate
	if minRate == 0 {
		minRate = -1 // verify's "off"; its zero means the default
	}
	if mode == verify.ModeAuto && f.cacheFile == "" {
		return opts, nil, fmt.Errorf("--mode auto needs --cache FILE")
	}
	opts = verify.Options{
		Concurrency:         f.concurrency,
		PerHost:             f.perHost,
		Tries:               f.tries,
		StallTimeout:        f.stall,
		MinBytesPerSecond:   minRate,
		SlowGrace:           f.slowGrace,
		DownloadTimeout:     f.dlTimeout,
		MaxAssetBytes:       f.maxAsset,
		MaxTotalBytes:       f.maxTotal,
		AllowPrivateNetwork: f.allowPrivate,
		Mode:                mode,
		UserAgent:           "pindrift-bot-check",
	}
	if mode != verify.ModeFull {
		token := os.Getenv("GITHUB_TOKEN")
		if token == "" {
			token = os.Getenv("GH_TOKEN")
		}
		res, err := ghrelease.New(ghrelease.Options{APIURL: f.githubAPIURL, WebURL: f.githubURL, Token: token})
		if err != nil {
			return opts, nil, err
		}
		opts.Resolver = res
	}
	if f.cacheFile != "" {
		c, err := verify.OpenFileCache(f.cacheFile)
		if err != nil {
			return opts, nil, err
		}
		opts.Cache, saveCache = c, c.Save
	}
	return opts, saveCache, nil
}

func runCheck(ctx context.Context, cmd *cobra.Command, f *checkFlags, file string) error {
	opts, saveCache, err := f.options()
	if err != nil {
		return badInput(err)
	}
	var report *reportFile
	if f.jsonFile != "" {
		if report, err = createReportFile(f.jsonFile, file, f.cacheFile); err != nil {
			return badInput(err)
		}
		defer report.discard()
	}
	res, err := f.pins.extract(ctx, file)
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	rep, runErr := f.verifyPins(ctx, stderr, opts, saveCache, res)

	var doc []byte
	if f.asJSON || report != nil {
		// Encoded once, so stdout and --json-file are the same bytes.
		var buf bytes.Buffer
		if err := writeCheckJSON(&buf, res, rep); err != nil {
			return err
		}
		doc = buf.Bytes()
	}
	var reportErr error
	if report != nil {
		reportErr = report.commit(doc)
	}
	out := cmd.OutOrStdout()
	if f.asJSON {
		_, err = out.Write(doc)
	} else {
		err = writeCheckHuman(out, res, rep)
	}
	if err != nil {
		return err
	}
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		// Workflow commands are read from stderr too; keep --json's
		// stdout a single JSON document.
		aw := out
		if f.asJSON {
			aw = stderr
		}
		if err := writeAnnotations(aw, res, rep); err != nil {
			return err
		}
		if path := os.Getenv("GITHUB_STEP_SUMMARY"); path != "" {
			if err := appendStepSummary(path, res, rep); err != nil {
				fmt.Fprintln(stderr, "bot: warning: step summary:", err)
			}
		}
	}
	code := checkExitCode(rep.Summary)
	if reportErr != nil {
		fmt.Fprintln(stderr, "bot:", reportErr)
		code = reportLostExitCode(code)
	}
	if runErr != nil {
		if code == exitOK {
			code = exitPartial
		}
		return &exitError{code: code, err: fmt.Errorf("check interrupted: %w", runErr)}
	}
	if code != exitOK {
		return &exitError{code: code}
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
	var bars *progressBars
	if !f.quiet && isTerminal(stderr) {
		bars = newProgressBars(ctx, stderr)
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

// location is file:line for a pin's SHA literal.
func location(file string, p pin.Pin) string {
	return fmt.Sprintf("%s:%d", file, p.SHASpan.Line)
}

// shortSHA marks a digest it abbreviated, since a user may copy it.
func shortSHA(s string) string {
	if short := shortsha.Of(s, shortsha.Long); short != s {
		return short + "…"
	}
	return s
}
