package pin

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCapFindings(t *testing.T) {
	t.Parallel()
	f := func(line int) Finding { return Finding{Line: line, Message: "m"} }
	tests := map[string]struct {
		unresolved, invalid         []Finding
		wantUnresolved, wantInvalid []Finding
	}{
		"under the cap": {
			unresolved: []Finding{f(1)}, invalid: []Finding{f(2)},
			wantUnresolved: []Finding{f(1)}, wantInvalid: []Finding{f(2)},
		},
		"unresolved kept first": {
			unresolved: []Finding{f(1), f(2)}, invalid: []Finding{f(3), f(4)},
			wantUnresolved: []Finding{f(1), f(2), {Message: "1 more finding was left out: a file reports at most 3"}},
			wantInvalid:    []Finding{f(3)},
		},
		"unresolved alone over the cap": {
			unresolved: []Finding{f(1), f(2), f(3), f(4)}, invalid: []Finding{f(5)},
			wantUnresolved: []Finding{f(1), f(2), f(3), {Message: "2 more findings were left out: a file reports at most 3"}},
			wantInvalid:    []Finding{},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := &Result{Unresolved: tc.unresolved, Invalid: tc.invalid}
			r.CapFindings(3)
			if diff := cmp.Diff(tc.wantUnresolved, r.Unresolved); diff != "" {
				t.Errorf("unresolved (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantInvalid, r.Invalid); diff != "" {
				t.Errorf("invalid (-want +got):\n%s", diff)
			}
		})
	}
}
