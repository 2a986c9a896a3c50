package jobs

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestInstallationStates: suspend and unsuspend toggle an installation,
// every replica (another Jobs on the same database) sees it, and a deleted
// installation stays deleted even when an unsuspend arrives after it.
func TestInstallationStates(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		a := openJobs(t, db, Options{})
		b := openJobs(t, db, Options{})
		ctx := context.Background()
		set := func(id int64, s InstallationState) {
			t.Helper()
			if err := a.SetInstallationState(ctx, id, s); err != nil {
				t.Fatal(err)
			}
		}
		state := func(id int64) InstallationState {
			t.Helper()
			s, err := b.InstallationState(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		if got := state(1); got != InstallationActive {
			t.Errorf("unknown installation is %s, want active", got)
		}
		set(1, InstallationSuspended)
		set(2, InstallationSuspended)
		set(3, InstallationDeleted)
		if got := state(1); got != InstallationSuspended {
			t.Errorf("after suspend: %s", got)
		}
		set(1, InstallationActive)
		set(3, InstallationActive) // out of order: deleted wins
		if got := state(1); got != InstallationActive {
			t.Errorf("after unsuspend: %s", got)
		}
		inactive, err := b.InactiveInstallations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]InstallationState{2: InstallationSuspended, 3: InstallationDeleted}
		if d := cmp.Diff(want, inactive); d != "" {
			t.Errorf("inactive installations (-want +got):\n%s", d)
		}
		if err := a.SetInstallationState(ctx, 4, "paused"); err == nil {
			t.Error("unknown state accepted")
		}
	})
}
