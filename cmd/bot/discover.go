package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/pindrift/pindrift/internal/discover"
)

// exitNoneFound is bot discover's status when no file pairs digests with
// URLs: a script can tell "nothing to configure" from success.
const exitNoneFound = 1

func newDiscoverCmd() *cobra.Command {
	var (
		asJSON   bool
		maxReads int
	)
	cmd := &cobra.Command{
		Use:   "discover [DIR]",
		Short: "Find the files of a checkout that pin release assets, and print the configuration that lists them",
		Long: `discover looks through a checkout (DIR, default the current folder) for the
files that pair digests with URLs, as the App does for a repository without
a configuration, and prints each with its pin count and what could not be
resolved, what it skipped and why, and the .github/pindrift.yml that lists
the files it found.

Candidates are chosen from the file names first (published.py, WORKSPACE,
MODULE.bazel, *.bzl, source.json, conandata.yml, ...), then from the other
Python, Starlark, JSON, YAML and TOML files, path words such as "deps" or
"release" first; tests and BUILD files come last. At most --max-reads files
are read; the candidates left are listed. Vendored and generated folders
(vendor/, third_party/, node_modules/, .git/, dist/, bazel-*/, virtual
environments...), symbolic links, lock files of package managers (they
verify their own digests), binary files and files over 2 MiB are skipped.
Nothing is executed: files are evaluated statically, as bot pins does.

Exit status: 0 when files with pins were found, 1 when none were, 3 when
DIR or a flag is unusable.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			if maxReads < 1 {
				return badInput(fmt.Errorf("--max-reads must be at least 1, not %d", maxReads))
			}
			if st, err := os.Stat(dir); err != nil {
				return badInput(err)
			} else if !st.IsDir() {
				return badInput(fmt.Errorf("%s is not a directory", dir))
			}
			res, err := discover.Find(cmd.Context(), discover.Dir(dir), discover.Options{MaxReads: maxReads})
			if err != nil {
				return badInput(err)
			}
			write := res.WriteText
			if asJSON {
				write = res.WriteJSON
			}
			if err := write(cmd.OutOrStdout()); err != nil {
				return err
			}
			if len(res.Files) == 0 {
				return &exitError{code: exitNoneFound}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object instead of the report")
	cmd.Flags().IntVar(&maxReads, "max-reads", discover.DefaultMaxReads, "read at most this many files")
	return cmd
}
