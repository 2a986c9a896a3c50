package verify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/pin"
)

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func pinAt(url, sha string, line int) pin.Pin {
	return pin.Pin{URL: url, SHA256: sha, Symbol: "MANIFEST", Path: "MANIFEST[x]",
		SHASpan: pin.Span{Line: line, Column: 5}}
}

// testOptions are fast defaults for loopback tests: private network
// allowed, millisecond backoff.
func testOptions() Options {
	return Options{
		AllowPrivateNetwork: true,
		BackoffBase:         time.Millisecond,
		BackoffMax:          5 * time.Millisecond,
		StallTimeout:        5 * time.Second,
	}
}

// counter counts requests per path.
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) inc(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[path]++
	return c.n[path]
}

func (c *counter) get(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[path]
}

// countingServer serves h and counts requests per path.
func countingServer(t testing.TB, h http.Handler) (*httptest.Server, *counter) {
	t.Helper()
	c := &counter{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.inc(r.URL.Path)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, c
}

func verifyPins(t *testing.T, opts Options, pins ...pin.Pin) *Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := New(opts).Verify(ctx, pins, nil, nil)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return rep
}
