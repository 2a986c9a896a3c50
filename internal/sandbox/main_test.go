package sandbox_test

import (
	"os"
	"testing"

	"github.com/pindrift/pindrift/internal/sandbox"
)

// TestMain lets this test binary be its own sandbox child, with the test
// faults enabled.
func TestMain(m *testing.M) {
	sandbox.MainWithFaults()
	os.Exit(m.Run())
}
