// Package shortsha abbreviates commit SHAs and SHA-256 digests for people,
// in one place, so that every message, title and trigger cuts them the
// same way. It imports nothing of pindrift and anything may import it.
package shortsha

// Lengths a SHA is cut to.
const (
	// Commit is how GitHub's web pages abbreviate a commit: in triggers,
	// error messages and links beside the full SHA.
	Commit = 7
	// Long is how git abbreviates where 7 digits may be ambiguous; used
	// for digests that people compare by eye.
	Long = 12
)

// Of returns the first n characters of sha, or sha whole when it is no
// longer.
func Of(sha string, n int) string {
	if len(sha) > n {
		return sha[:n]
	}
	return sha
}
