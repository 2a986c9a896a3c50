package main

import (
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/pindrift/pindrift/internal/demo"
)

func newDemoCmd() *cobra.Command {
	var (
		keep, noColor, verbose bool
		timeout                time.Duration
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Watch the GitHub App catch a re-uploaded release asset, offline, in seconds",
		Long: `demo runs the GitHub App end to end on loopback, with no network and no
credentials: a fake GitHub holding acme/images (a pinned manifest and a
release), the real server with a key and webhook secret made up for the
run, SQLite in a temporary folder. It re-uploads a release asset with
different bytes, delivers the signed release webhook, and shows the
tracking issue, the fix pull request with its diff and its check run;
then it restores the original bytes and shows both closing.

It exits 0 when everything happened as the App is meant to behave, and
non-zero with the reason otherwise.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := demo.Options{Keep: keep, Timeout: timeout,
				Color: !noColor && os.Getenv("NO_COLOR") == "" && isTerminal(cmd.OutOrStdout())}
			if verbose {
				opts.Log = cmd.ErrOrStderr()
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return demo.Run(ctx, cmd.OutOrStdout(), opts)
		},
	}
	cmd.Flags().BoolVar(&keep, "keep", false, "keep the temporary folder (configuration, database, the issue's and PR's Markdown)")
	cmd.Flags().BoolVar(&noColor, "no-color", false, "plain output (also when stdout is not a terminal or NO_COLOR is set)")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "show the App's log on stderr")
	cmd.Flags().DurationVar(&timeout, "timeout", demo.DefaultTimeout, "how long to wait for the App's jobs after each webhook")
	return cmd
}
