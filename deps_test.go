package pindrift_test

import (
	"context"
	"errors"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// knownTestingImporters are the packages in cmd/bot's dependencies allowed
// to import testing, none of them this module's.
//
// github.com/hashicorp/golang-lru (v0.6.0, required by go-githubapp's
// githubapp package, which the App is built on) has a non-test file,
// testing.go, that imports testing; v1.0.2, the newest, still does. It is
// an upstream wart we cannot fix here. When an upgrade drops it, this test
// fails: empty the list.
var knownTestingImporters = []string{"github.com/hashicorp/golang-lru"}

// TestBotImportsNoTesting: the bot binary is what users run, so no package
// of this module that it links may import testing; `bot demo` once shipped
// the fake GitHub with a nil testing.TB inside. Imports are read from `go
// list -deps`, which sees what the build sees; test files do not count.
func TestBotImportsNoTesting(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "list", "-deps",
		"-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", "./cmd/bot").Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("go list -deps ./cmd/bot: %v\n%s", err, exit.Stderr)
		}
		t.Fatalf("go list -deps ./cmd/bot: %v", err)
	}

	var importers []string
	var sawBot bool
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if fields[0] == "github.com/pindrift/pindrift/cmd/bot" {
			sawBot = true
		}
		if slices.Contains(fields[1:], "testing") {
			importers = append(importers, fields[0])
		}
	}
	// Without cmd/bot in the list the loop above checked nothing.
	if !sawBot {
		t.Fatalf("go list -deps ./cmd/bot does not list cmd/bot:\n%s", out)
	}
	slices.Sort(importers)
	if diff := cmp.Diff(knownTestingImporters, importers); diff != "" {
		t.Errorf("packages linked into cmd/bot that import testing (-allowed +got):\n%s", diff)
	}
}
