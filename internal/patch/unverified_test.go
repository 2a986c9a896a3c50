package patch

import (
	"testing"

	"github.com/pindrift/pindrift/internal/pin"
)

func TestUnverified(t *testing.T) {
	t.Parallel()
	pins := []pin.Pin{{URL: "https://x/a"}, {URL: "https://x/a"}, {URL: "https://x/b"}, {URL: "https://x/c"}}
	tests := map[string]struct {
		res  *pin.Result
		live map[string]Live
		want int
	}{
		"every URL known": {&pin.Result{Pins: pins}, lives(ok("https://x/a", o1), drift("https://x/b", n1), ok("https://x/c", o2)), 0},
		// a is pinned twice but is one URL to verify.
		"unknown URLs counted once": {&pin.Result{Pins: pins}, lives(missing("https://x/a"), ok("https://x/c", o2)), 2},
		"findings count": {&pin.Result{Pins: pins[3:], Unresolved: []pin.Finding{{}}, Invalid: []pin.Finding{{}, {}}},
			lives(ok("https://x/c", o2)), 3},
	}
	for name, tc := range tests {
		if got := Unverified(tc.res, tc.live); got != tc.want {
			t.Errorf("%s: Unverified = %d, want %d", name, got, tc.want)
		}
	}
}
