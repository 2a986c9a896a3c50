package verify

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// errTooLong cancels an attempt that outlived Options.DownloadTimeout.
var errTooLong = errors.New("download timeout")

// tooSlowError cancels an attempt whose throughput fell below
// Options.MinBytesPerSecond over a SlowGrace period.
type tooSlowError struct {
	rate, min int64 // bytes per second
	window    time.Duration
}

func (e *tooSlowError) Error() string {
	return fmt.Sprintf("too slow: %s over the last %s, below the minimum %s", perSecond(e.rate), e.window, perSecond(e.min))
}

func perSecond(n int64) string {
	if n >= 10<<10 || n%1024 == 0 {
		return fmt.Sprintf("%d KiB/s", n>>10)
	}
	return fmt.Sprintf("%d B/s", n)
}

// watchThroughput cancels with a *tooSlowError once the bytes counted in
// read over one SlowGrace period are fewer than MinBytesPerSecond asks
// for. It checks once per period, so a trickle holds a worker for at
// most two periods; stop ends the watch.
func (v *Verifier) watchThroughput(read *atomic.Int64, cancel context.CancelCauseFunc) (stop func()) {
	min, window := v.opts.MinBytesPerSecond, v.opts.SlowGrace
	if min <= 0 {
		return func() {}
	}
	var (
		mu      sync.Mutex
		stopped bool
		last    int64
		t       *time.Timer
	)
	check := func() {
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return
		}
		n := read.Load()
		rate := int64(float64(n-last) / window.Seconds())
		if rate < min {
			cancel(&tooSlowError{rate: rate, min: min, window: window})
			return
		}
		last = n
		t.Reset(window)
	}
	mu.Lock()
	t = time.AfterFunc(window, check)
	mu.Unlock()
	return func() {
		mu.Lock()
		defer mu.Unlock()
		stopped = true
		t.Stop()
	}
}
