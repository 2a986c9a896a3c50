package fixlocal

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/patch"
	"github.com/pindrift/pindrift/internal/pin"
)

func TestCommitMessage(t *testing.T) {
	t.Parallel()
	old, new := strings.Repeat("1", 64), strings.Repeat("2", 64)
	change := func(line int, url string) patch.Change {
		return patch.Change{Span: pin.Span{Line: line, Column: 19}, Old: old, New: new, URLs: []string{url},
			Pins: []pin.Pin{{URL: url, SHA256: old}}}
	}
	fix := func(file string, changes ...patch.Change) *patch.Result {
		return &patch.Result{File: file, Changes: changes}
	}
	images := fix("images.py", change(8, "https://dl.example/kernel"))
	tests := map[string]struct {
		fixes []*patch.Result
		want  string
	}{
		"nothing changed": {fixes: []*patch.Result{fix("a.py"), fix("b.json")}, want: ""},
		// One file keeps the fix pull request's message.
		"one file changed": {fixes: []*patch.Result{images, fix("b.json")}, want: patch.CommitMessage(images)},
		"several files": {
			fixes: []*patch.Result{images, fix("pins.json", change(3, "https://dl.example/@alice"), change(9, "https://dl.example/rootfs"))},
			want: "Update 3 SHA-256 pins in 2 files to the bytes now published\n\n" +
				"- images.py:8:19: 111111111111 -> 222222222222 (`kernel`)\n" +
				"- pins.json:3:19: 111111111111 -> 222222222222 (`@\u2060alice`)\n" +
				"- pins.json:9:19: 111111111111 -> 222222222222 (`rootfs`)\n" +
				"\nMade by pindrift from the digests of the live release assets.\n",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, commitMessage(tc.fixes)); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
}
