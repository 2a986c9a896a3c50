package jobs

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/runner"
)

// One installation's long queue must not hold every worker: with two
// workers, installation A's ten jobs enqueued first and B's one after,
// B runs before A's queue drains.
func TestInstallationShareLetsOthersRun(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		rec := newRecorder()
		rec.onVerify = func(ctx context.Context, _ VerifyRepo, _ int) error {
			select {
			case <-time.After(150 * time.Millisecond):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		opts := fastOptions(rec)
		opts.Workers = 2
		j := openJobs(t, db, opts)
		for i := range 10 {
			enqueue(t, j, VerifyRepo{VerifyRequest: runner.VerifyRequest{InstallationID: 1, Owner: "a", Repo: fmt.Sprintf("r%d", i), Trigger: "push"}})
		}
		enqueue(t, j, VerifyRepo{VerifyRequest: runner.VerifyRequest{InstallationID: 2, Owner: "b", Repo: "only", Trigger: "push"}})
		startJobs(t, j)
		waitIdle(t, j)

		b := rec.runsOf("b/only")
		if len(b) != 1 {
			t.Fatalf("installation B ran %d times, want 1", len(b))
		}
		after := 0
		for i := range 10 {
			for _, r := range rec.runsOf(fmt.Sprintf("a/r%d", i)) {
				if r.Start.After(b[0].Start) {
					after++
				}
			}
		}
		// Without a share, B waits behind all of A's jobs.
		if after < 5 {
			t.Errorf("only %d of installation A's 10 jobs started after B's: B waited behind A's queue", after)
		}
	})
}

// A lone installation is not held to its share: with nobody else
// waiting, its jobs use every worker.
func TestLoneInstallationUsesEveryWorker(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		rec := newRecorder()
		release := make(chan struct{})
		rec.onVerify = func(ctx context.Context, _ VerifyRepo, _ int) error {
			select {
			case <-release:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		opts := fastOptions(rec)
		opts.Workers = 4
		j := openJobs(t, db, opts)
		startJobs(t, j)
		for i := range 4 {
			enqueue(t, j, VerifyRepo{VerifyRequest: runner.VerifyRequest{InstallationID: 1, Owner: "a", Repo: fmt.Sprintf("r%d", i), Trigger: "push"}})
		}
		waitFor(t, "four jobs of one installation running at once", 15*time.Second, func() bool {
			rec.mu.Lock()
			defer rec.mu.Unlock()
			n := 0
			for _, v := range rec.active {
				n += v
			}
			return n == 4
		})
		close(release)
		waitIdle(t, j)
	})
}
