package fixlocal

import "github.com/pindrift/pindrift/internal/patch"

// commitMessage is the message of the commit that carries fixes, "" when
// none changes its file: the fix pull request's own message
// (patch.CommitMessageOf), so a local fix and the App's read the same.
func commitMessage(fixes []*patch.Result) string {
	for _, fx := range fixes {
		if fx.Changed() {
			return patch.CommitMessageOf(fixes)
		}
	}
	return ""
}
