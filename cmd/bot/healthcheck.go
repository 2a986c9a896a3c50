package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/pindrift/pindrift/internal/server/probe"
)

// exitUnhealthy is what Docker's HEALTHCHECK and exec probes read as
// "unhealthy".
const exitUnhealthy = 1

func newHealthcheckCmd() *cobra.Command {
	var (
		rawURL      string
		timeout     time.Duration
		allowRemote bool
	)
	cmd := &cobra.Command{
		Use:   "healthcheck",
		Short: "Ask a running bot serve whether it is ready (for Docker HEALTHCHECK; the image has no shell or curl)",
		Long: `healthcheck GETs --url (default http://127.0.0.1:$PINDRIFT_SERVER_PORT/readyz,
port 8080 when the variable is unset) and exits 0 when the answer is 2xx,
printing its body, and 1 otherwise, with the reason on stderr. Redirects are
not followed and proxies are not used.

It is a probe, not a fetcher: only http:// URLs whose address is loopback are
accepted (checked when connecting, after name resolution), unless
--allow-remote. An unusable --url or PINDRIFT_SERVER_PORT exits 3.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("url") {
				u, err := probe.DefaultURL(os.LookupEnv)
				if err != nil {
					return badInput(err)
				}
				rawURL = u
			}
			if timeout <= 0 {
				return badInput(fmt.Errorf("--timeout must be positive, not %s", timeout))
			}
			u, err := probe.ParseURL(rawURL, allowRemote)
			if err != nil {
				return badInput(err)
			}
			body, err := probe.Get(cmd.Context(), u, timeout, allowRemote)
			if err != nil {
				return &exitError{code: exitUnhealthy, err: err}
			}
			fmt.Fprintln(cmd.OutOrStdout(), body)
			return nil
		},
	}
	cmd.Flags().StringVar(&rawURL, "url", "http://127.0.0.1:8080/readyz",
		"URL to GET; the default's port is $"+probe.PortEnv+" when set")
	cmd.Flags().DurationVar(&timeout, "timeout", 3*time.Second, "give up after this long (connect, answer and body)")
	cmd.Flags().BoolVar(&allowRemote, "allow-remote", false, "also accept https and non-loopback addresses")
	return cmd
}
