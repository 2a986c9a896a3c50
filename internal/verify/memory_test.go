package verify

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/pin"
)

// generatorHandler serves /SIZE as SIZE bytes made on the fly, so the
// test holds no asset in memory.
func generatorHandler(w http.ResponseWriter, r *http.Request) {
	size, err := strconv.ParseInt(r.URL.Path[1:], 10, 64)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	chunk := make([]byte, 256<<10)
	for i := range chunk {
		chunk[i] = byte(i * 7)
	}
	for size > 0 {
		n := min(size, int64(len(chunk)))
		if _, err := w.Write(chunk[:n]); err != nil {
			return
		}
		size -= n
	}
}

// peakHeap runs f while sampling live heap bytes, and returns the peak.
func peakHeap(f func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(done)
	<-stopped
	return peak.Load()
}

func streamSizes(tb testing.TB, base string, size int64) {
	tb.Helper()
	v := New(testOptions())
	rep, err := v.Verify(context.Background(), pinsForSize(base, size), nil, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for _, o := range rep.Outcomes {
		if o.Bytes != size || o.Got == "" {
			tb.Fatalf("%s: %s after %d bytes: %s", o.URL, o.Status, o.Bytes, o.Err)
		}
	}
}

func pinsForSize(base string, size int64) []pin.Pin {
	var pins []pin.Pin
	for i := range 4 { // one per default concurrency slot
		pins = append(pins, pinAt(fmt.Sprintf("%s/%d?copy=%d", base, size, i), sum(nil), i+1))
	}
	return pins
}

// TestHeapFlatInAssetSize streams 4 × 16 MiB and then 4 × 512 MiB at once
// and checks the peak live heap barely moves: bodies are hashed as they
// arrive, never buffered.
func TestHeapFlatInAssetSize(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 2 GiB over loopback")
	}
	srv, _ := countingServer(t, http.HandlerFunc(generatorHandler))
	small := peakHeap(func() { streamSizes(t, srv.URL, 16<<20) })
	large := peakHeap(func() { streamSizes(t, srv.URL, 512<<20) })
	t.Logf("peak live heap: %.1f MiB for 4×16 MiB, %.1f MiB for 4×512 MiB", mib(small), mib(large))
	// 4 MiB of slack absorbs GC timing; buffering even one 512 MiB asset
	// would blow through it a hundredfold.
	if large > small+4<<20 {
		t.Errorf("peak heap grew from %.1f MiB to %.1f MiB with asset size", mib(small), mib(large))
	}
}

func BenchmarkStream(b *testing.B) {
	srv, _ := countingServer(b, http.HandlerFunc(generatorHandler))
	for _, size := range []int64{16 << 20, 512 << 20} {
		b.Run(fmt.Sprintf("4x%dMiB", size>>20), func(b *testing.B) {
			b.SetBytes(4 * size)
			var peak uint64
			for b.Loop() {
				peak = max(peak, peakHeap(func() { streamSizes(b, srv.URL, size) }))
			}
			b.ReportMetric(mib(peak), "peak-heap-MiB")
		})
	}
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }
