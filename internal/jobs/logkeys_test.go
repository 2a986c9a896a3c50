package jobs

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/logtest"
	"github.com/pindrift/pindrift/internal/runner"
)

// TestJobLogKeysOnce: the job worker is where a job's work enters, so its
// lines, and those the handler writes through the context's logger, name
// the job, installation, repository and delivery once each, with
// go-githubapp's keys.
func TestJobLogKeysOnce(t *testing.T) {
	t.Parallel()
	db := testDatabase{name: "sqlite", url: "sqlite://" + t.TempDir() + "/jobs.db"}
	rec := newRecorder()
	logHandler := func(ctx context.Context) { zerolog.Ctx(ctx).Info().Msg("handler ran") }
	rec.onVerify = func(ctx context.Context, _ VerifyRepo, _ int) error { logHandler(ctx); return nil }
	rec.onCheck = func(ctx context.Context, _ CheckPR, _ int) error { logHandler(ctx); return nil }
	j := openJobs(t, db, fastOptions(rec))
	logs := &logtest.Buffer{}
	if err := j.Start(zerolog.New(logs).WithContext(context.Background())); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := j.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	enqueue(t, j, VerifyRepo{VerifyRequest: runner.VerifyRequest{InstallationID: 7, Owner: "acme", Repo: "microvm",
		Trigger: "push", DeliveryID: "d-1"}})
	enqueue(t, j, CheckPR{PRRequest: runner.PRRequest{InstallationID: 7, Owner: "acme", Repo: "images", Number: 12,
		HeadSHA: "abc123", Trigger: "opened", DeliveryID: "d-2"}})
	waitFor(t, "both runs", 15*time.Second, func() bool { return len(rec.runsOf("acme/microvm"))+len(rec.runsOf("acme/images")) == 2 })
	waitIdle(t, j)

	repoKeys := []string{LogKeyJobID, "job_kind", githubapp.LogKeyInstallationID, githubapp.LogKeyRepositoryOwner,
		githubapp.LogKeyRepositoryName, githubapp.LogKeyDeliveryID, "trigger"}
	for _, msg := range []string{"handler ran", "job done"} {
		lines := logtest.Lines(t, logs.String(), msg)
		if len(lines) != 2 {
			t.Fatalf("%d lines %q, want one per job; logs:\n%s", len(lines), msg, logs)
		}
		for _, l := range lines {
			keys := repoKeys
			if strings.Contains(l, KindCheckPR) {
				keys = append(keys[:len(keys):len(keys)], githubapp.LogKeyPRNum)
			}
			logtest.CheckKeys(t, l, keys...)
		}
	}
}
