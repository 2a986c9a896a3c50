package runner_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/logtest"
	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/verify"
)

// TestRunLogsAddNoRepositoryFields: the job worker names the installation
// and repository in the logger it hands down; the run's own lines keep
// those fields as they are and add none again.
func TestRunLogsAddNoRepositoryFields(t *testing.T) {
	e := newEnv(t, verify.ModeFull)
	var logs bytes.Buffer
	ctx := zerolog.New(&logs).With().Int64(githubapp.LogKeyInstallationID, 7).
		Str(githubapp.LogKeyRepositoryOwner, owner).Str(githubapp.LogKeyRepositoryName, name).Logger().
		WithContext(context.Background())
	if _, err := e.r.VerifyRepo(ctx, runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name, Trigger: "push"}); err != nil {
		t.Fatalf("VerifyRepo: %v", err)
	}
	lines := logtest.Lines(t, logs.String(), "verified")
	if len(lines) != 1 {
		t.Fatalf("%d lines \"verified\", want 1; logs:\n%s", len(lines), logs.String())
	}
	logtest.CheckKeys(t, lines[0], githubapp.LogKeyInstallationID, githubapp.LogKeyRepositoryOwner, githubapp.LogKeyRepositoryName)
}
