package pindrift_test

import (
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestScriptsInterpolateNothing: the runner pastes ${{ }} into a run:
// script before bash reads it, so an input there is shell code (see
// TestPwnedDetectorCatchesInterpolation). Inputs go through env: instead.
func TestScriptsInterpolateNothing(t *testing.T) {
	a := loadAction(t, filepath.Join(repoRoot(t), "action.yml"))
	for _, st := range a.Runs.Steps {
		if strings.Contains(st.Run, "${{") {
			t.Errorf("step %q has an expression inside run:", st.label())
		}
	}
}

var inputRefRE = regexp.MustCompile(`inputs\.([A-Za-z0-9_-]+)`)

// TestEveryInputIsUsed: an input no step reads would be accepted and
// silently ignored. The token is read once, as the check step's
// GITHUB_TOKEN, so no other step (the build, which runs the Go toolchain
// and module downloads) ever holds it.
func TestEveryInputIsUsed(t *testing.T) {
	a := loadAction(t, filepath.Join(repoRoot(t), "action.yml"))
	used := map[string][]string{} // input -> "step/key" where read
	for _, st := range a.Runs.Steps {
		fields := map[string]string{"if": st.If}
		for k, v := range st.Env {
			fields["env."+k] = v
		}
		for k, v := range st.With {
			fields["with."+k] = v
		}
		for key, v := range fields {
			for _, m := range inputRefRE.FindAllStringSubmatch(v, -1) {
				used[m[1]] = append(used[m[1]], st.ID+"/"+key)
			}
		}
	}
	var declared, unused []string
	for name := range a.Inputs {
		declared = append(declared, name)
		if len(used[name]) == 0 {
			unused = append(unused, name)
		}
	}
	for name := range used {
		if _, ok := a.Inputs[name]; !ok {
			t.Errorf("steps read undeclared input %q at %v", name, used[name])
		}
	}
	sort.Strings(unused)
	if len(unused) != 0 {
		t.Errorf("inputs no step reads: %v", unused)
	}
	if diff := cmp.Diff([]string{"check/env.GITHUB_TOKEN"}, used["github-token"]); diff != "" {
		t.Errorf("github-token read at (-want +got):\n%s", diff)
	}
	sort.Strings(declared)
	want := []string{"allow-private-network", "cache", "concurrency", "digest-fields", "env", "fail-on-unverifiable",
		"format", "github-api-url", "github-token", "github-url", "manifest", "max-asset-bytes", "mode", "per-host",
		"platforms", "stall-timeout", "symbols", "timeout", "tries", "url-fields"}
	if diff := cmp.Diff(want, declared); diff != "" {
		t.Errorf("declared inputs, the documented interface (-want +got):\n%s", diff)
	}
}
