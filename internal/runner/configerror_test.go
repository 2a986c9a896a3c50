package runner_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pindrift/pindrift/internal/runner"
)

// TestUnreadableConfigurationIsRetried: a configuration GitHub did not
// serve (a 502) is not an invalid one: the run fails for a retry and
// tells nobody, neither on an issue nor with a check.
func TestUnreadableConfigurationIsRetried(t *testing.T) {
	t.Parallel()
	for _, push := range []bool{false, true} {
		e := newFakeEnv(t)
		e.gh.SetSettings(nil, errors.New("502 Bad Gateway"))
		j := runner.VerifyRequest{InstallationID: 7, Owner: owner, Repo: name, Trigger: "nightly sweep"}
		if push {
			j.Trigger, j.PushSHA, j.Paths = "push", fakeHead, []string{".github/pindrift.yml"}
		}
		_, err := e.r.VerifyRepo(context.Background(), j)
		if err == nil || runner.IsPermanent(err) {
			t.Errorf("push %v: err = %v, want a retryable error", push, err)
		}
		if n := len(e.gh.TrackingIssues().All()); n != 0 {
			t.Errorf("push %v: %d issues opened", push, n)
		}
		if n := len(e.gh.CheckRuns(fakeHead)); n != 0 {
			t.Errorf("push %v: %d check runs", push, n)
		}
	}
}
