package patch

import (
	"context"
	"testing"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
)

// TestFixWithUsesTheGivenExtractor: both extractions, of the original and
// of the patched bytes, go through the extractor the caller passes (the
// App's sandbox), never extract.File in process.
func TestFixWithUsesTheGivenExtractor(t *testing.T) {
	code := src(`K = "https://x/k"
MANIFEST = {"k": {"url": K, "sha256": "O1"}}
`)
	var seen [][]byte
	extract := func(ctx context.Context, file string, b []byte, opts pin.Options) (*pin.Result, error) {
		seen = append(seen, b)
		return extract.File(ctx, file, b, opts)
	}
	fx, err := FixWith(context.Background(), extract, "m.py", code, pin.Options{}, lives(drift("https://x/k", n1)))
	if err != nil {
		t.Fatal(err)
	}
	if fx.Verdict != VerdictComplete || len(seen) != 2 {
		t.Fatalf("verdict %s after %d extractions; want complete after 2", fx.Verdict, len(seen))
	}
	if string(seen[0]) != string(code) || string(seen[1]) != string(fx.Patched) {
		t.Errorf("extracted %q then %q; want the original, then the patched bytes", seen[0], seen[1])
	}
}
