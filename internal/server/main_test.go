package server_test

import (
	"os"
	"testing"

	"github.com/pindrift/pindrift/internal/sandbox"
)

// TestMain lets this test binary be the sandbox child of the servers its
// tests start, with the test faults enabled (see sandbox.MainWithFaults).
func TestMain(m *testing.M) {
	sandbox.MainWithFaults()
	code := m.Run()
	if builtBot.dir != "" {
		os.RemoveAll(builtBot.dir)
	}
	os.Exit(code)
}
