package sandbox_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pindrift/pindrift/internal/manifest"
	"github.com/pindrift/pindrift/internal/sandbox"
)

// BenchmarkExtract measures what the sandbox adds to one extraction of the
// real 22 KB manifest, in the same run: in process; in a child started
// ahead, as a job finds it when jobs do not come back to back (the
// latency a job sees); and back to back, where each extraction also pays
// for starting the next spare child (the CPU cost).
func BenchmarkExtract(b *testing.B) {
	src, err := os.ReadFile(filepath.Join(fixtureDir, "21_2026-06-14_269c1a5.py"))
	if err != nil {
		b.Skipf("the real manifest is not available (%v)", err)
	}
	x, err := sandbox.New(sandbox.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	for _, bc := range []struct {
		name      string
		extract   manifest.ExtractFunc
		waitSpare bool
	}{{"in-process", manifest.Extract, false}, {"sandbox-spare-ready", x.Extract, true}, {"sandbox-back-to-back", x.Extract, false}} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if bc.waitSpare {
					b.StopTimer()
					sandbox.WaitSpare(x)
					b.StartTimer()
				}
				res, err := bc.extract(context.Background(), "published.py", src, manifest.Options{})
				if err != nil || len(res.Pins) == 0 {
					b.Fatalf("pins %v, err %v", res, err)
				}
			}
		})
	}
}
