// Package config reads pindrift's two configuration files: the server's
// (`bot serve --config FILE`, with environment overrides) and a
// repository's .github/pindrift.yml (loaded from GitHub, falling back to
// the owner's .github repository).
//
// Both are read strictly: an unknown key, a duplicate key or a value of
// the wrong kind is an error, and every problem is reported at once with
// its line, column and key (or the environment variable it came from), as
// an *Error whose Problems can also annotate a check run. Absent settings
// take the Default* constants; the result holds the effective values.
package config
