package syntax

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestExceptNames(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		clause string
		want   []string
		bare   bool
	}{
		"bare":         {clause: "except:", bare: true},
		"one":          {clause: "except KeyError:", want: []string{"KeyError"}},
		"alias":        {clause: "except KeyError as err:", want: []string{"KeyError"}},
		"tuple":        {clause: "except (KeyError, ValueError) as err:", want: []string{"KeyError", "ValueError"}},
		"attribute":    {clause: "except errors.Missing:", want: []string{"errors", "Missing"}},
		"not a string": {clause: "except Error('KeyError'):", want: []string{"Error"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mod, err := Parse([]byte("try:\n  pass\n" + tc.clause + "\n  pass\n"))
			if err != nil {
				t.Fatal(err)
			}
			try := mod.Kids[0]
			var clause *Node
			for _, k := range try.Kids {
				if k.Kind == ExceptClause {
					clause = k
				}
			}
			if clause == nil {
				t.Fatalf("no except clause in %s", try.Kind)
			}
			names, bare := clause.ExceptNames()
			var got []string
			for _, n := range names {
				got = append(got, n.Token)
			}
			if bare != tc.bare {
				t.Errorf("bare = %v, want %v", bare, tc.bare)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}
