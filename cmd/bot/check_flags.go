package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/pindrift/pindrift/internal/verify"
	"github.com/pindrift/pindrift/internal/verify/ghrelease"
)

// checkFlags are check's flags; fix embeds them for its fetching.
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
