package tree

import (
	"strings"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/pin"
)

// TestLongFlowLine guards against positions costing the length of their
// line: a 1 MiB one-line flow sequence of 250,000 items must parse fast.
func TestLongFlowLine(t *testing.T) {
	t.Parallel()
	src := "[" + strings.Repeat("é, ", 250000) + "x]"
	start := time.Now()
	root, err := ParseYAML("f.yml", []byte(src), LimitsOf(pin.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	last := root.Items[len(root.Items)-1]
	if last.Value != "x" || last.Span.Start != len(src)-2 || !last.Literal {
		t.Errorf("last item %+v, want x at %d", last, len(src)-2)
	}
	// Quadratic work would take minutes; linear takes well under a second
	// even on a loaded machine.
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v", d)
	}
}
