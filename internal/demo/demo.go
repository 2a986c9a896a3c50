// Package demo is `bot demo`: the App's whole story, offline, in a few
// seconds. It starts a fake GitHub (internal/ghfake) holding a
// repository with a pinned manifest and a release, and the real App
// (internal/server, SQLite in a temporary folder) with a key and webhook
// secret made up for the run; then it re-uploads a release asset with
// different bytes, delivers signed webhooks over HTTP as GitHub would, and
// prints what a maintainer sees: the tracking issue, the fix pull request
// with its diff, the check run, and both closing once the original bytes
// are back.
//
// It sits beside internal/server, above everything the App is made of:
// it may import any layer below it, and it is, with the benchmarks, the
// only code outside tests that may import the fake GitHub. Only cmd/bot
// imports it.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/ghfake"
)

// DefaultTimeout bounds each wait for the App's jobs.
const DefaultTimeout = 20 * time.Second

// Options tune the demo.
type Options struct {
	// Color styles the story with ANSI escapes.
	Color bool
	// Keep leaves the temporary folder (configuration, database, the
	// issue's and PR's Markdown) in place and prints where it is.
	Keep bool
	// Log, when set, receives the App's log and the fake GitHub's
	// complaints as they happen. Without it they are kept quiet, and the
	// App's warnings are shown only if the demo fails.
	Log io.Writer
	// Timeout bounds each wait for the App's jobs (DefaultTimeout if 0).
	Timeout time.Duration
}

// Run tells the story on w. It returns an error, saying what went wrong,
// when anything differs from what the App is meant to do, when the fake
// GitHub saw a request it does not know, or when the App does not finish
// in time.
func Run(ctx context.Context, w io.Writer, opts Options) error {
	_, err := run(ctx, w, opts)
	return err
}

// world is one run of the story, kept for tests to inspect.
type world struct {
	opts    Options
	n       *narrator
	gh      *ghfake.Server
	tb      *ghfake.Program
	app     *app
	dir     string
	issue   int // the tracking issue's number
	pr      int // the fix PR's number
	started time.Time
}

// step is one part of the story.
type step func(*world, context.Context) error

// story is the demo's steps, in order; tests run others.
var story = []step{(*world).published, (*world).reuploaded, (*world).trackingIssue, (*world).fixPR,
	(*world).checkRun, (*world).restored}

func run(ctx context.Context, w io.Writer, opts Options, steps ...step) (wd *world, err error) {
	if steps == nil {
		steps = story
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	wd = &world{opts: opts, n: &narrator{w: w, st: style{color: opts.Color}}, started: time.Now()}

	// The App logs to opts.Log, or its warnings to a buffer shown with a
	// failure.
	var warnings tail
	logger := zerolog.New(&warnings).Level(zerolog.WarnLevel)
	var logw io.Writer // nil keeps the fake quiet
	if opts.Log != nil {
		// The App's goroutines and the fake's handlers write at once.
		logw = zerolog.SyncWriter(opts.Log)
		logger = zerolog.New(zerolog.ConsoleWriter{Out: logw, NoColor: !opts.Color, TimeFormat: time.TimeOnly}).
			Level(zerolog.InfoLevel)
	}
	ctx = logger.With().Timestamp().Logger().WithContext(ctx)
	defer func() {
		if err != nil && opts.Log == nil && warnings.Len() > 0 {
			err = fmt.Errorf("%w\nthe App's warnings:\n%s", err, warnings.String())
		}
	}()

	wd.tb = ghfake.Standalone(logw)
	defer wd.tb.Close()
	defer wd.tb.Recover(&err)
	wd.gh = ghfake.New(wd.tb)
	// Installation tokens expire an hour after the fake's clock; on the
	// real one the upload times in the issue read as today.
	wd.gh.SetNow(time.Now())
	seed(wd.gh)

	if wd.dir, err = os.MkdirTemp("", "pindrift-demo-"); err != nil {
		return wd, err
	}
	if !opts.Keep {
		defer func() {
			if rmErr := os.RemoveAll(wd.dir); rmErr != nil && err == nil {
				err = fmt.Errorf("remove the demo's folder: %w", rmErr)
			}
		}()
	}
	cfg, secret, err := serverConfig(wd.dir, wd.gh)
	if err != nil {
		return wd, err
	}
	if wd.app, err = startApp(ctx, cfg, secret); err != nil {
		return wd, err
	}
	defer func() { err = errors.Join(err, wd.app.close()) }()

	wd.intro()
	for _, step := range steps {
		if err := step(wd, ctx); err != nil {
			return wd, errors.Join(err, wd.tb.Err())
		}
		if err := wd.tb.Err(); err != nil {
			return wd, err
		}
	}
	wd.outro()
	return wd, nil
}
