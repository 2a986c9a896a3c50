package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/runner"
)

// TestRecheckOncePerWindow: within a window one recheck runs and one of
// the refused ones is answered; after it, the next one runs.
func TestRecheckOncePerWindow(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		j := openJobs(t, db, Options{})
		ctx := context.Background()
		t0 := time.Date(2026, 6, 15, 3, 17, 0, 0, time.UTC)
		w := DefaultRecheckWindow
		take := func(owner string, at time.Time) runner.RecheckTurn {
			t.Helper()
			turn, err := j.Recheck(ctx, owner, "images", at, w)
			if err != nil {
				t.Fatal(err)
			}
			return turn
		}
		refused := runner.RecheckTurn{Last: t0.Local(), Next: t0.Add(w).Local()}
		steps := []struct {
			owner string
			at    time.Time
			want  runner.RecheckTurn
		}{
			{"acme", t0, runner.RecheckTurn{Allowed: true}},
			{"acme", t0.Add(time.Second), runner.RecheckTurn{Last: refused.Last, Next: refused.Next, Reply: true}},
			{"ACME", t0.Add(2 * time.Second), refused}, // names are case-insensitive
			{"acme", t0.Add(w - time.Millisecond), refused},
			{"other", t0.Add(time.Second), runner.RecheckTurn{Allowed: true}}, // per repository
			{"acme", t0.Add(w), runner.RecheckTurn{Allowed: true}},
			{"acme", t0.Add(w + time.Second), runner.RecheckTurn{Last: t0.Add(w).Local(), Next: t0.Add(2 * w).Local(), Reply: true}},
		}
		for i, s := range steps {
			if diff := cmp.Diff(s.want, take(s.owner, s.at)); diff != "" {
				t.Errorf("step %d (%s at +%v) (-want +got):\n%s", i, s.owner, s.at.Sub(t0), diff)
			}
		}
	})
}
