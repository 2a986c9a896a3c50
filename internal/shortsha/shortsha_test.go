package shortsha_test

import (
	"testing"

	"github.com/pindrift/pindrift/internal/shortsha"
)

func TestOf(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		sha  string
		n    int
		want string
	}{
		"commit":         {"1a2b3c4d5e6f7a8b9c0d", shortsha.Commit, "1a2b3c4"},
		"long":           {"1a2b3c4d5e6f7a8b9c0d", shortsha.Long, "1a2b3c4d5e6f"},
		"exactly n":      {"1a2b3c4", shortsha.Commit, "1a2b3c4"},
		"shorter than n": {"abc", shortsha.Long, "abc"},
		"empty":          {"", shortsha.Commit, ""},
		"labelled":       {"sha512:1a2b3c4d5e6f7a8b9c0d", shortsha.Long, "sha512:1a2b3c4d5e6f"},
		"sri":            {"sha384-AbCdEfGhIjKlMnOp", shortsha.Long, "sha384-AbCdEfGhIjKl"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := shortsha.Of(tt.sha, tt.n); got != tt.want {
				t.Errorf("Of(%q, %d) = %q, want %q", tt.sha, tt.n, got, tt.want)
			}
		})
	}
}
