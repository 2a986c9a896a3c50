package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/runner"
)

// TestDiscoveriesRecordReplacesAndSurvivesReopen: the last discovery of a
// repository is what Last answers, on every replica (a second Jobs on the
// same database) and whatever the case of the name GitHub gave.
func TestDiscoveriesRecordReplacesAndSurvivesReopen(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		ctx := context.Background()
		a, b := openJobs(t, db, Options{}).Discoveries(), openJobs(t, db, Options{}).Discoveries()

		if d, ok, err := a.Last(ctx, "acme", "images"); err != nil || ok {
			t.Fatalf("Last before any discovery = %+v, %v, %v; want none", d, ok, err)
		}
		nothing := runner.Discovery{Commit: "c0ffee0000000000000000000000000000000000", Found: 0,
			At: time.Date(2026, 3, 1, 2, 0, 0, 123_000_000, time.UTC)}
		found := runner.Discovery{Commit: "beef000000000000000000000000000000000000", Found: 3,
			At: time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)}
		for _, want := range []runner.Discovery{nothing, found, nothing} {
			if err := a.Record(ctx, "acme", "images", want); err != nil {
				t.Fatalf("Record: %v", err)
			}
			got, ok, err := b.Last(ctx, "Acme", "Images")
			if err != nil || !ok {
				t.Fatalf("Last on the other replica = ok %v, err %v", ok, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Last after Record (-want +got):\n%s", diff)
			}
		}
		if d, ok, err := b.Last(ctx, "acme", "kernels"); err != nil || ok {
			t.Errorf("Last of another repository = %+v, %v, %v; want none", d, ok, err)
		}
	})
}
