// Command bot is pindrift's one binary: the CLI (pins, discover, check,
// fix, healthcheck, version, register, demo) and the GitHub App server
// (serve).
//
// It holds the cobra commands, their flags and help, config loading and the
// exit-code contract, and makes one call per command into the package that
// owns the work: pin/extract (reading a manifest), discover (finding the
// manifests of a checkout), verify and verify/progress (checking), report
// and report/fixreport (what a run prints and writes), patch and
// patch/fixlocal (fixing), server/probe (healthcheck), server (serve),
// register and demo. Nothing imports it;
// logic found here belongs in one of those packages.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/pindrift/pindrift/internal/sandbox"
)

// Exit codes are a contract: scripts and the GitHub Action branch on them.
const (
	exitOK       = 0
	exitDrift    = 1
	exitPartial  = 2
	exitBadInput = 3
)

// exitError carries an exit code out of a command; its message, if any, is
// printed on stderr.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

func badInput(err error) error { return &exitError{code: exitBadInput, err: err} }

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "bot",
		Short:         "pindrift keeps published release assets and their pinned SHA-256 checksums in step",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return badInput(err) })
	root.AddCommand(newPinsCmd())
	root.AddCommand(newDiscoverCmd())
	root.AddCommand(newServeCmd())
	root.AddCommand(newCheckCmd())
	root.AddCommand(newFixCmd())
	root.AddCommand(newRegisterCmd())
	root.AddCommand(newDemoCmd())
	root.AddCommand(newHealthcheckCmd())
	root.AddCommand(newVersionCmd())
	return root
}

func main() {
	// Before anything else: when bot serve re-executes this binary to
	// evaluate a manifest, the process is that sandbox child and ends here.
	sandbox.Main()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the CLI with the given output streams and maps errors to
// exit codes.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "bot:", ee.err)
		}
		return ee.code
	}
	// Cobra's own errors (unknown command, bad arguments) are usage errors.
	fmt.Fprintln(stderr, "bot:", err)
	return exitBadInput
}

// isTerminal reports whether w is a terminal, where progress bars and
// colour belong.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
