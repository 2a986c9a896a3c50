package jobs

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/runner"
)

// The sweep fans out per installation: one installation's permanent
// error ends its own job after one attempt, the other's repositories are
// scheduled over the spread window rather than at once.
func TestSweepFansOutPerInstallation(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		rec := newRecorder()
		rec.onInstallations = func(context.Context) ([]int64, error) { return []int64{1, 2}, nil }
		listed := map[int64]int{}
		rec.onRepos = func(_ context.Context, id int64) ([]VerifyRepo, error) {
			rec.mu.Lock()
			listed[id]++
			rec.mu.Unlock()
			if id == 1 {
				return nil, Permanent(errors.New("installation 1 is suspended"))
			}
			var out []VerifyRepo
			for i := range 20 {
				out = append(out, VerifyRepo{VerifyRequest: runner.VerifyRequest{Owner: "b", Repo: fmt.Sprintf("r%d", i)}})
			}
			return out, nil
		}
		opts := fastOptions(rec)
		opts.SweepSchedule = "@every 1h"
		opts.SweepSpread = time.Hour
		j := openJobs(t, db, opts)
		startJobs(t, j)
		tick := time.Now().UTC().Truncate(time.Second)
		if err := j.be.inTx(context.Background(), func(ctx context.Context, _ querier, insert insertFunc) error {
			_, err := insert(ctx, sweepJob{Tick: tick}, nil)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "20 repository runs scheduled", 20*time.Second, func() bool {
			s, err := j.Stats(context.Background())
			return err == nil && s["scheduled"] == 20 && s["running"] == 0
		})
		s, _ := j.Stats(context.Background())
		if s["cancelled"] != 1 || s["retryable"] != 0 {
			t.Errorf("job states %v: want installation 1's job cancelled, nothing retried", s)
		}
		rec.mu.Lock()
		if listed[1] != 1 || listed[2] != 1 {
			t.Errorf("installations listed %v, want each once", listed)
		}
		rec.mu.Unlock()

		var n, distinct int64
		if err := j.be.db().queryRow(context.Background(), `SELECT
			COUNT(*), COUNT(DISTINCT scheduled_at) FROM river_job WHERE kind = ? AND state = 'scheduled'`,
			KindVerifyRepo).Scan(&n, &distinct); err != nil {
			t.Fatal(err)
		}
		if n != 20 || distinct < 15 {
			t.Errorf("%d repositories scheduled at only %d distinct times: not spread", n, distinct)
		}
		for i := range 20 {
			off := spreadOffset(repoKey("b", fmt.Sprintf("r%d", i)), time.Hour)
			if off < 0 || off >= time.Hour {
				t.Errorf("offset %s outside the window", off)
			}
		}
	})
}
