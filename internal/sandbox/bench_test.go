package sandbox_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/sandbox"
)

// BenchmarkExtract measures what the sandbox adds to one extraction of the
// real 22 KB manifest, in the same run, as ms/extract (the time of the
// Extract call alone):
//
//	in-process            extract.File, as the CLI runs it
//	sandbox-spare-ready   in a child started ahead and settled, as a job
//	                      finds it when jobs do not come back to back: the
//	                      latency a job sees
//	sandbox-back-to-back  one extraction after another, each also paying
//	                      for starting the next spare: the CPU cost under
//	                      sustained load
//
// The child is this test binary; bot's own start costs more CPU (about
// 50 ms), which the spare hides from the latency.
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
		name    string
		extract pin.ExtractFunc
		settle  bool
	}{{"in-process", extract.File, false}, {"sandbox-spare-ready", x.Extract, true}, {"sandbox-back-to-back", x.Extract, false}} {
		b.Run(bc.name, func(b *testing.B) {
			var spent time.Duration
			for i := 0; i < b.N; i++ {
				if bc.settle {
					sandbox.WaitSpare(x)
					time.Sleep(50 * time.Millisecond) // as between jobs: the spare's runtime has settled
				}
				start := time.Now()
				res, err := bc.extract(context.Background(), "published.py", src, pin.Options{})
				spent += time.Since(start)
				if err != nil || len(res.Pins) == 0 {
					b.Fatalf("pins %v, err %v", res, err)
				}
			}
			b.ReportMetric(float64(spent.Microseconds())/1000/float64(b.N), "ms/extract")
		})
	}
}
