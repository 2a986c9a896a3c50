package python

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnpackArgs(t *testing.T) {
	t.Parallel()
	one, two := int64(1), int64(2)
	tests := map[string]struct {
		pos     []value
		kwNames []string
		kwVals  []value
		want    []value // x, y, rest...
		err     string
	}{
		"positional":       {pos: []value{one, two}, want: []value{one, two}},
		"keyword":          {pos: []value{one}, kwNames: []string{"y"}, kwVals: []value{two}, want: []value{one, two}},
		"optional absent":  {pos: []value{one}, want: []value{one, "default"}},
		"rest":             {pos: []value{one, two, one}, want: []value{one, two, one}},
		"missing required": {err: "TypeError: f() missing required argument 'x'"},
		"unknown keyword":  {pos: []value{one}, kwNames: []string{"z"}, kwVals: []value{two}, err: "TypeError: f() got an unexpected keyword argument 'z'"},
		"repeated":         {pos: []value{one}, kwNames: []string{"x"}, kwVals: []value{two}, err: "TypeError: f() got multiple values for argument 'x'"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a := &callArgs{pos: tc.pos, kwNames: tc.kwNames, kwVals: tc.kwVals}
			var x, y value = nil, "default"
			var rest []value
			err := unpackArgs("f", a, "x", &x, "y?", &y, "*rest", &rest)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, append([]value{x, y}, rest...)); diff != "" {
				t.Errorf("unpacked (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("too many", func(t *testing.T) {
		t.Parallel()
		var x value
		err := unpackArgs("g", &callArgs{pos: []value{one, two}}, "x", &x)
		if err == nil || err.Error() != "TypeError: g() takes at most 1 argument (2 given)" {
			t.Errorf("error %v", err)
		}
	})
}
