package verify

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// trickle serves size bytes at about 1 MiB/s, 64 KiB at a time, and stops
// when the client goes away.
func trickle(size int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(size))
		chunk := make([]byte, 64<<10)
		tick := time.NewTicker(time.Second / 16)
		defer tick.Stop()
		for sent := 0; sent < size; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-tick.C:
			case <-r.Context().Done():
				return
			}
		}
	})
}

// TestSlowAssetIsUnreachable: an asset served at 1 MiB/s with the minimum
// set at 8 MiB/s is unreachable "too slow" after the grace period, in one
// attempt, long before its 256 MiB could arrive.
func TestSlowAssetIsUnreachable(t *testing.T) {
	const size = 256 << 20
	srv, c := countingServer(t, trickle(size))
	opts := testOptions()
	opts.MinBytesPerSecond = 8 << 20
	opts.SlowGrace = 300 * time.Millisecond
	rep := verifyPins(t, opts, pinAt(srv.URL+"/slow", strings.Repeat("a", 64), 1))
	o := rep.Outcomes[0]
	if o.Status != StatusUnreachable || !strings.Contains(o.Err, "too slow: ") ||
		!strings.Contains(o.Err, "over the last 300ms, below the minimum 8192 KiB/s") {
		t.Fatalf("outcome %s: %s, want unreachable, too slow", o.Status, o.Err)
	}
	if o.Attempts != 1 || c.get("/slow") != 1 {
		t.Errorf("%d attempts, %d requests: a trickle is not retried", o.Attempts, c.get("/slow"))
	}
	if o.Bytes >= size {
		t.Errorf("read all %d bytes before giving up", o.Bytes)
	}
}

// TestSlowCheckOff: with the minimum turned off, the same trickle is read
// to the end (a small asset, so the test stays short).
func TestSlowCheckOff(t *testing.T) {
	srv, _ := countingServer(t, trickle(512<<10))
	opts := testOptions()
	opts.MinBytesPerSecond = -1
	opts.SlowGrace = 100 * time.Millisecond
	rep := verifyPins(t, opts, pinAt(srv.URL+"/slow", strings.Repeat("a", 64), 1))
	if o := rep.Outcomes[0]; o.Status != StatusDrift {
		t.Fatalf("outcome %s: %s, want drift", o.Status, o.Err)
	}
}

// TestDownloadTimeout: a download still going at its deadline is
// unreachable, saying so, and not retried.
func TestDownloadTimeout(t *testing.T) {
	srv, c := countingServer(t, trickle(256<<20))
	opts := testOptions()
	opts.MinBytesPerSecond = -1
	opts.DownloadTimeout = 300 * time.Millisecond
	rep := verifyPins(t, opts, pinAt(srv.URL+"/long", strings.Repeat("a", 64), 1))
	o := rep.Outcomes[0]
	if o.Status != StatusUnreachable || !strings.Contains(o.Err, "not finished within the 300ms download timeout") {
		t.Fatalf("outcome %s: %s", o.Status, o.Err)
	}
	if o.Attempts != 1 || c.get("/long") != 1 {
		t.Errorf("%d attempts, %d requests: want 1", o.Attempts, c.get("/long"))
	}
}
