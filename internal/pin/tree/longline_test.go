package tree

import (
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/pin"
)

// TestLongFlowLine guards against positions costing the length of their
// line: the characters stepped over to place the 250,000 items of a
// one-line flow sequence must stay within the line's length, not its
// square.
func TestLongFlowLine(t *testing.T) {
	t.Parallel()
	src := "[" + strings.Repeat("é, ", 250000) + "x]"
	b, err := newBuilder("f.yml", []byte(src), LimitsOf(pin.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	p := newYAMLParser(b)
	root, err := p.parse()
	if err != nil {
		t.Fatal(err)
	}
	if p.cur.steps > len(src) {
		t.Errorf("stepped over %d characters for a line of %d bytes", p.cur.steps, len(src))
	}
	last := root.Items[len(root.Items)-1]
	if last.Value != "x" || last.Span.Start != len(src)-2 || !last.Literal {
		t.Errorf("last item %+v, want x at %d", last, len(src)-2)
	}
}
