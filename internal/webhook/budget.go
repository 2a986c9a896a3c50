package webhook

import "sync"

// DefaultMaxBytesInFlight is the default budget of delivery bytes held at
// once across all requests: four deliveries of the largest size GitHub
// sends, or thousands of ordinary ones (a few KB each).
const DefaultMaxBytesInFlight = 4 * MaxPayloadBytes

// budget counts the body bytes that requests being read may hold. A
// request reserves its Content-Length before reading and gives it back
// when answered; one that does not fit is refused at once rather than
// queued, since waiting requests hold connections and GitHub redelivers.
type budget struct {
	max int64

	mu   sync.Mutex
	used int64
	peak int64 // the most ever reserved at once, for tests
}

func (b *budget) acquire(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.max {
		return false
	}
	b.used += n
	b.peak = max(b.peak, b.used)
	return true
}

func (b *budget) release(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used -= n
}

func (b *budget) inFlight() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

func (b *budget) maxReserved() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.peak
}
