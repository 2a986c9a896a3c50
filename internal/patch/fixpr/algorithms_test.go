package fixpr

import (
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/patch"
	"github.com/pindrift/pindrift/internal/pin"
)

// TestPRNamesTheAlgorithm: a fix of non-SHA-256 pins says which algorithm
// it rewrites, a fix of several says "digest", and a SHA-512 pin's new
// bytes are not claimed to lack an attestation GitHub could not have
// named.
func TestPRNamesTheAlgorithm(t *testing.T) {
	t.Parallel()
	const u = "https://github.com/acme/images/releases/download/v1/rootfs.img"
	sri := patch.Change{Span: pin.Span{Line: 2, Column: 9}, Old: "sha512-" + strings.Repeat("A", 86) + "==",
		New: "sha512-" + strings.Repeat("B", 86) + "==", Algorithm: pin.SHA512, Digest: strings.Repeat("05", 64), URLs: []string{u}}
	tests := map[string]struct {
		changes []patch.Change
		title   string
		says    []string
	}{
		"one sha512": {
			changes: []patch.Change{sri},
			title:   "Update the SHA-512 pin of `rootfs.img` to the bytes now published",
			says: []string{"rewrites 1 SHA-512 literal in `images.py`",
				"not looked up: attestations name SHA-256 digests, this pin is SHA-512", "pinned   " + sri.Old, "new      " + sri.New},
		},
		"sha256 and sha512": {
			changes: []patch.Change{change(1, u), sri},
			title:   "Update 2 digest pins in images.py to the bytes now published",
			says:    []string{"rewrites 2 digest literals in `images.py`", "| `sha512-AAAAAAAAAAAA` | `sha512-BBBBBBBBBBBB` |"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fix := &patch.Result{File: "images.py", Changes: tc.changes, Verdict: patch.VerdictComplete}
			if got := patch.Subject(fix); got != tc.title {
				t.Errorf("title %q, want %q", got, tc.title)
			}
			if msg := patch.CommitMessage(fix); !strings.HasPrefix(msg, tc.title+"\n") {
				t.Errorf("commit message does not start with the title:\n%s", msg)
			}
			body := Body(facts(fix))
			for _, want := range tc.says {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q:\n%s", want, body)
				}
			}
		})
	}
}
