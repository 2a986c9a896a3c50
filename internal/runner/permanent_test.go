package runner_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/sandbox"
)

// TestSandboxErrorsPermanence: a manifest the sandbox stopped fails its job
// for good (it would meet the same limit again); a sandbox that could not
// run, or a caller that gave up, leaves the job to be retried.
func TestSandboxErrorsPermanence(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		err  error
		want bool
	}{
		"limit": {fmt.Errorf("acme/images: %w", &sandbox.LimitError{File: "m.py", Limit: sandbox.LimitCPU,
			Detail: "it used more than 10 s of CPU time"}), true},
		"cancelled":   {fmt.Errorf("sandbox: evaluating m.py: %w", context.Canceled), false},
		"fork failed": {fmt.Errorf("sandbox: start the child for m.py: %w", fmt.Errorf("resource temporarily unavailable")), false},
	}
	for name, c := range cases {
		if got := runner.IsPermanent(c.err); got != c.want {
			t.Errorf("%s: IsPermanent(%v) = %v, want %v", name, c.err, got, c.want)
		}
	}
}
