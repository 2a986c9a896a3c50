package syntax

import (
	"fmt"
	"os"
	"testing"
)

// TestMain checks, before any test parses, that linking the package set
// nothing up: the grammar tables and the allocator switch wait for the
// first Parse.
func TestMain(m *testing.M) {
	if language.lang != nil || language.kinds != nil {
		fmt.Fprintln(os.Stderr, "syntax: the grammar was set up before the first parse")
		os.Exit(1)
	}
	os.Exit(m.Run())
}
