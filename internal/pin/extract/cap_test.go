package extract_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
)

// TestDataFileFindingsCapped: a JSON file of more stray digests than a
// file may report gets pin.MaxFindings of them and one finding saying how
// many more there were, as a Python file does.
func TestDataFileFindingsCapped(t *testing.T) {
	t.Parallel()
	const n = pin.MaxFindings + 234
	var b strings.Builder
	b.WriteString("[\n")
	for i := range n {
		sep := ","
		if i == n-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "  {\"sha256\": \"%064x\"}%s\n", i, sep)
	}
	b.WriteString("]\n")
	res, err := extract.File(context.Background(), "stray.json", []byte(b.String()), pin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	findings := append(res.Unresolved, res.Invalid...)
	if len(findings) != pin.MaxFindings+1 {
		t.Fatalf("%d findings, want %d and one saying how many more", len(findings), pin.MaxFindings+1)
	}
	if first := res.Unresolved[0]; first.Line != 2 || first.File != "stray.json" {
		t.Errorf("first finding at %s:%d, want stray.json:2", first.File, first.Line)
	}
	last := res.Unresolved[len(res.Unresolved)-1].Message
	if want := "234 more findings were left out: a file reports at most 1000"; last != want {
		t.Errorf("last finding %q, want %q", last, want)
	}
}
