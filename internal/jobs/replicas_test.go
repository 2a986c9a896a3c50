package jobs

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// Two Jobs on one database stand for two replicas of the App.
func TestReplicasSweepOnceAndNeverOverlap(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		rec := newRecorder()
		rec.onVerify = func(ctx context.Context, _ VerifyRepo, _ int) error {
			// Long enough for the other replica to try the repository.
			select {
			case <-time.After(50 * time.Millisecond):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		rec.onRepos = func(context.Context, int64) ([]VerifyRepo, error) {
			return []VerifyRepo{verifyArgs("shared", "sweep")}, nil
		}
		opts := fastOptions(rec)
		opts.SweepSpread = -1
		opts.SweepSchedule = "@every 1s"
		a := openJobs(t, db, opts)
		b := openJobs(t, db, opts)
		startJobs(t, a)
		startJobs(t, b)

		// Events for one repository reach both replicas while sweeps
		// enqueue it too.
		for i := range 10 {
			j := a
			if i%2 == 1 {
				j = b
			}
			enqueue(t, j, verifyArgs("shared", fmt.Sprintf("push %d", i)))
			time.Sleep(30 * time.Millisecond) // spread the events over several runs
		}
		waitFor(t, "four sweeps", 20*time.Second, func() bool { return len(rec.sweepTimes()) >= 4 })

		sweeps := rec.sweepTimes()
		for i := 1; i < len(sweeps); i++ {
			// One per one-second tick: two replicas sweeping the same tick
			// would show as two sweeps moments apart.
			if gap := sweeps[i].Sub(sweeps[i-1]); gap < 400*time.Millisecond {
				t.Errorf("sweeps %d and %d only %s apart: the tick ran twice", i-1, i, gap)
			}
		}
		if o := rec.overlapped(); len(o) > 0 {
			t.Errorf("one repository's jobs overlapped across replicas: %v", o)
		}
		if len(rec.runsOf("acme/shared")) < 2 {
			t.Errorf("runs on the shared repository = %d, want several", len(rec.runsOf("acme/shared")))
		}
	})
}
