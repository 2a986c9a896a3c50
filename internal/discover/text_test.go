package discover_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/pindrift/pindrift/internal/discover"
	"github.com/pindrift/pindrift/internal/golden"
	"github.com/pindrift/pindrift/internal/pin"
)

// TestWriteText pins the report bot discover prints, as golden files
// (go test -update rewrites them).
func TestWriteText(t *testing.T) {
	t.Parallel()
	many := make([]string, 23)
	for i := range many {
		many[i] = fmt.Sprintf("svc/pkg%02d/values.yaml", i)
	}
	tests := map[string]func(t *testing.T) *discover.Result{
		"bazel":  func(t *testing.T) *discover.Result { return findDir(t, "bazel") },
		"python": func(t *testing.T) *discover.Result { return findDir(t, "python") },
		"budget-and-truncation": func(*testing.T) *discover.Result {
			return &discover.Result{
				Files: []discover.File{{Path: "WORKSPACE", Format: pin.Starlark, Pins: 2,
					Invalid: []pin.Finding{{Line: 3, Column: 14, Message: "sha256 \"abc\" is not a digest"}}}},
				Failed:  []discover.Skip{{Path: "huge.bzl", Reason: "3145728 bytes, over the 2097152-byte limit"}},
				Skipped: map[string]int{discover.ReasonFolder: 120, discover.ReasonFormat: 4000},
				Folders: []string{"node_modules"}, Unread: many, Listed: 100000, Reads: 200, MaxReads: 200, Truncated: true,
			}
		},
		"none": func(*testing.T) *discover.Result {
			return &discover.Result{Skipped: map[string]int{discover.ReasonFormat: 1}, Folders: []string{}, Listed: 1}
		},
		"hostile-names": func(*testing.T) *discover.Result {
			return &discover.Result{
				Files:   []discover.File{{Path: "a\u202egpj.bzl", Format: pin.Starlark, Pins: 1}},
				Failed:  []discover.Skip{{Path: "b\x1b[2J.json", Reason: "syntax error: \x1b]8;;https://evil\x07"}},
				Folders: []string{"vendor\u200b"}, Listed: 3, Reads: 2, MaxReads: 200,
			}
		},
	}
	for name, res := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := res(t).WriteText(&b); err != nil {
				t.Fatal(err)
			}
			if bytes.ContainsAny(b.Bytes(), "\x1b\x07\u202e\u200b") {
				t.Errorf("a control or format character reached the output:\n%q", b.String())
			}
			golden.Check(t, "text/"+name+".txt", b.Bytes())
		})
	}
}
