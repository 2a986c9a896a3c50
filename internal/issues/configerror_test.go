package issues

import (
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/markdown"
)

func TestDecideConfigError(t *testing.T) {
	t.Parallel()
	const (
		path    = ".github/pindrift.yml"
		problem = ".github/pindrift.yml:3:5: verify.mode: must be full, metadata or auto, not \"fast\""
	)
	open := Existing{Open: []Issue{{Number: 4, Open: true}, {Number: 9, Open: true}}}
	said := DecideConfigError(open, nil, path, problem)
	if said == nil {
		t.Fatal("nothing said on an open tracking issue without comments")
	}
	huge := strings.Repeat("```\nline of the file that goes on and on\n", 5000)
	tests := map[string]struct {
		ex       Existing
		comments []string
		problem  string
		want     int    // issue commented on; 0: no comment
		contains string // in the body
	}{
		"no open tracking issue": {ex: Existing{LastClosed: &Issue{Number: 2}}, problem: problem},
		"first time":             {ex: open, problem: problem, want: 4, contains: "verify.mode: must be full"},
		"said already":           {ex: open, comments: []string{"hello", said.Body}, problem: problem},
		"said already, quoted by a person": {ex: open, comments: []string{"> " + strings.ReplaceAll(said.Body, "\n", "\n> ")},
			problem: problem},
		"another problem":               {ex: open, comments: []string{said.Body}, problem: "manifests[0]: path is required", want: 4, contains: "path is required"},
		"names the file":                {ex: open, problem: problem, want: 4, contains: markdown.Code(path)},
		"a problem over GitHub's limit": {ex: open, problem: huge, want: 4, contains: "pindrift cannot use"},
	}
	for label, tc := range tests {
		t.Run(label, func(t *testing.T) {
			t.Parallel()
			c := DecideConfigError(tc.ex, tc.comments, path, tc.problem)
			if tc.want == 0 {
				if c != nil {
					t.Fatalf("comment %+v, want none", c)
				}
				return
			}
			if c == nil || c.Number != tc.want {
				t.Fatalf("comment %+v, want one on #%d", c, tc.want)
			}
			if !strings.HasPrefix(c.Body, "<!-- pindrift:config-error:") || !strings.Contains(c.Body, tc.contains) {
				t.Errorf("body lacks the marker or %q:\n%s", tc.contains, c.Body)
			}
			if len(c.Body) > markdown.MaxBody {
				t.Errorf("body is %d bytes, over GitHub's %d", len(c.Body), markdown.MaxBody)
			}
		})
	}
}
