// Package shortsha abbreviates commit SHAs and SHA-256 digests for people,
// in one place, so that every message, title and trigger cuts them the
// same way. It imports nothing of pindrift and anything may import it.
package shortsha

import "strings"

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
// longer. A digest labelled with its algorithm ("sha512:…", SRI's
// "sha512-…") keeps the label and is cut after it.
func Of(sha string, n int) string {
	if i := strings.IndexAny(sha, ":-"); i > 3 && i <= len("sha512") && strings.HasPrefix(strings.ToLower(sha), "sha") {
		return sha[:i+1] + Of(sha[i+1:], n)
	}
	if len(sha) > n {
		return sha[:n]
	}
	return sha
}
