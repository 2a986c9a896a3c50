package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the module version, VCS revision and Go version this binary was built from",
		Long: `version prints one line: the module version ("(devel)" for a build from a
checkout), the commit, its time and "modified" when the tree had uncommitted
changes, then the Go version and platform. The commit is "unknown revision"
when the build had no VCS information (go build -buildvcs=false, or no .git,
as in deploy/Dockerfile).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			info, _ := debug.ReadBuildInfo() // nil outside module mode: still a line
			fmt.Fprintln(cmd.OutOrStdout(), versionLine(info, runtime.GOOS+"/"+runtime.GOARCH))
			return nil
		},
	}
}

// versionLine renders build information, e.g.
// "pindrift (devel) 3f2a1c9d0e4b 2026-11-28T07:53:11Z modified go1.26.8 linux/amd64".
func versionLine(info *debug.BuildInfo, platform string) string {
	version, goVersion := "unknown", runtime.Version()
	settings := map[string]string{}
	if info != nil {
		if info.Main.Version != "" {
			version = info.Main.Version
		}
		if info.GoVersion != "" {
			goVersion = info.GoVersion
		}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
	}
	parts := []string{"pindrift", version}
	if rev := settings["vcs.revision"]; rev != "" {
		parts = append(parts, rev[:min(len(rev), 12)])
		if t := settings["vcs.time"]; t != "" {
			parts = append(parts, t)
		}
		if settings["vcs.modified"] == "true" {
			parts = append(parts, "modified")
		}
	} else {
		parts = append(parts, "unknown revision")
	}
	parts = append(parts, goVersion, platform)
	return strings.Join(parts, " ")
}
