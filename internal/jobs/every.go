package jobs

import (
	"context"
	"time"
)

// every calls beat every period in a goroutine until stop is called, ctx
// ends or beat returns false. stop waits for the goroutine to finish, so
// no beat runs after it returns.
func every(ctx context.Context, period time.Duration, beat func() bool) (stop func()) {
	stopc := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(period)
		defer tick.Stop()
		for {
			select {
			case <-stopc:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if !beat() {
				return
			}
		}
	}()
	return func() {
		close(stopc)
		<-done
	}
}
