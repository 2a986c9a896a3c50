package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/pindrift/pindrift"
	"github.com/pindrift/pindrift/internal/register"
)

func newRegisterCmd() *cobra.Command {
	var (
		o    register.Options
		open bool
	)
	cmd := &cobra.Command{
		Use:   "register --webhook-url https://HOST/api/github/hook",
		Short: "Create pindrift's GitHub App from app.yml and write its bot serve configuration",
		Long: `register creates the GitHub App through GitHub's manifest flow. It serves a
page on loopback that sends the App's manifest (app.yml, with your webhook
URL) to GitHub; there you choose "Create GitHub App", GitHub sends the
browser back, and register writes the App's id, private key and webhook
secret to --out (mode 0600) for bot serve. It then prints where to install
the App.

Exit status: 0 the App was created and its configuration written; 2 no App
was set up (timeout, Ctrl-C, GitHub refused the code, the file could not be
written); 3 unusable flags, or --out exists without --force.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := pindrift.AppManifest()
			if err != nil {
				return err
			}
			o.Manifest = m
			out := cmd.OutOrStdout()
			o.Ready = func(page string) {
				fmt.Fprintf(out, "Open %s in a browser signed in to GitHub and continue there to create the App.\n", page)
				fmt.Fprintf(out, "Waiting up to %s (Ctrl-C to stop)...\n", o.Timeout)
				if open {
					openBrowser(cmd, page)
				}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			res, err := register.Run(ctx, o)
			var optErr *register.OptionError
			switch {
			case errors.As(err, &optErr):
				return badInput(err)
			case err != nil:
				return &exitError{code: exitPartial, err: err}
			}
			fmt.Fprintf(out, "Created the GitHub App %q (id %d): %s\n", res.Name, res.AppID, res.HTMLURL)
			fmt.Fprintf(out, "Wrote %s (mode 0600; it holds the App's private key and webhook secret).\n", res.ConfigPath)
			fmt.Fprintf(out, "Install the App on your repositories: %s\n", res.InstallURL)
			fmt.Fprintf(out, "Then run: bot serve --config %s\n", res.ConfigPath)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.WebhookURL, "webhook-url", "", "public URL where GitHub delivers webhooks to bot serve (required), e.g. https://pindrift.example.com/api/github/hook")
	f.StringVar(&o.Org, "org", "", "create the App under this organization instead of your user account")
	f.StringVar(&o.Name, "name", "", "the App's name on GitHub (default: app.yml's; names are unique across GitHub)")
	f.StringVar(&o.GitHubURL, "github-url", register.DefaultGitHubURL, "GitHub's web URL (GitHub Enterprise Server: https://HOST)")
	f.StringVar(&o.APIURL, "github-api-url", "", "GitHub's REST API URL (default: https://api.github.com/, or {github-url}/api/v3/)")
	f.StringVar(&o.Listen, "listen", register.DefaultListen, "loopback address of the local page")
	f.StringVar(&o.Out, "out", register.DefaultOut, "server configuration file to write")
	f.BoolVar(&o.Force, "force", false, "replace --out if it exists")
	f.DurationVar(&o.Timeout, "timeout", register.DefaultTimeout, "give up if no App is created within this time")
	f.BoolVar(&open, "open", false, "open the local page in the default browser")
	return cmd
}

// openBrowser opens page in the default browser; if it cannot, the printed
// URL is still there to open by hand.
func openBrowser(cmd *cobra.Command, page string) {
	var c *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		c = exec.CommandContext(context.WithoutCancel(cmd.Context()), "open", page)
	case "windows":
		c = exec.CommandContext(context.WithoutCancel(cmd.Context()), "rundll32", "url.dll,FileProtocolHandler", page)
	default:
		c = exec.CommandContext(context.WithoutCancel(cmd.Context()), "xdg-open", page)
	}
	if err := c.Start(); err != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "bot: could not open a browser (%v); open the URL above by hand\n", err)
		return
	}
	go func() { _ = c.Wait() }() // reap it; the browser's exit status says nothing about the flow
}
