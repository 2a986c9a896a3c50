package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/pindrift/pindrift/internal/config"
	"github.com/pindrift/pindrift/internal/server"
)

func newServeCmd() *cobra.Command {
	var (
		cfgPath string
		grace   time.Duration
		pretty  bool
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the GitHub App: webhooks, durable jobs, nightly sweep",
		Long: `serve runs pindrift as a GitHub App. It answers signed webhooks at
POST /api/github/hook, runs verification jobs from its database (SQLite by
default, PostgreSQL for several replicas), sweeps every installed repository
on a schedule, and serves /healthz and /readyz, and /metrics on its own
listener (metrics.address:port, loopback by default).

It listens at once: /healthz answers 200 from the first second, while
/readyz and the webhook answer 503 (with Retry-After) until GitHub has
answered GET /app, which is asked in the background with backoff during a
GitHub outage. Credentials GitHub rejects stop it with the reason.

The configuration comes from --config and the environment (GITHUB_* and
PINDRIFT_* variables; see the README). SIGINT or SIGTERM, at any time,
stops taking deliveries, lets running jobs finish for up to --grace and
exits 0.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.LoadServer(cfgPath, nil)
			if err != nil {
				return badInput(err)
			}
			logger, err := serveLogger(cmd.ErrOrStderr(), cfg.Log.Level, pretty)
			if err != nil {
				return badInput(err)
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			ctx = logger.WithContext(ctx)
			srv, err := server.New(ctx, cfg, server.Options{})
			if err != nil {
				if ctx.Err() != nil {
					// Stopped while opening the database: nothing was
					// taken on, so this is a clean stop.
					logger.Info().Err(err).Msg("stopped while starting")
					return nil
				}
				return err
			}
			return srv.ListenAndServe(ctx, grace)
		},
	}
	cmd.Flags().StringVar(&cfgPath, "config", "", "server configuration file (YAML); optional when the environment has everything")
	cmd.Flags().DurationVar(&grace, "grace", 30*time.Second, "how long running jobs may finish after a stop signal")
	cmd.Flags().BoolVar(&pretty, "pretty-logs", false, "human-readable logs instead of JSON")
	return cmd
}

// serveLogger is the server's logger at level (log.level, validated by
// LoadServer); River's own lines below warn pass only at debug (see
// package jobs).
func serveLogger(w io.Writer, level string, pretty bool) (zerolog.Logger, error) {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil {
		return zerolog.Logger{}, fmt.Errorf("log.level: %w", err)
	}
	if pretty {
		w = zerolog.ConsoleWriter{Out: w}
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger(), nil
}
