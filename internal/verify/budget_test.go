package verify

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
)

// TestQueryStringsShareTheBudget: one asset listed under twelve query
// strings of a host that is not a release host is twelve transfers; the
// run's budget stops them, says which budget in each refusal, and every
// byte read is counted.
func TestQueryStringsShareTheBudget(t *testing.T) {
	t.Parallel()
	asset := bytes.Repeat([]byte("q"), 256<<10)
	srv, _ := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(asset)))
		w.Write(asset)
	}))
	var counted atomic.Int64
	opts := testOptions()
	opts.MaxTotalBytes, opts.BudgetName = 3*int64(len(asset))+1000, "download budget verify.max_run_bytes"
	opts.CountBytes = func(n int64) { counted.Add(n) }
	var pins []pin.Pin
	for i := range 12 {
		pins = append(pins, pinAt(fmt.Sprintf("%s/big.bin?v=%d", srv.URL, i), sum(asset), i+1))
	}
	rep := verifyPins(t, opts, pins...)
	if diff := cmp.Diff(Summary{OK: 3, Refused: 9}, rep.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	for _, o := range rep.Outcomes {
		if o.Status == StatusRefused && !strings.Contains(o.Err, "verify.max_run_bytes") {
			t.Errorf("%s: refusal %q does not name the budget", o.URL, o.Err)
		}
	}
	if got, want := counted.Load(), 3*int64(len(asset)); got != want {
		t.Errorf("counted %d bytes, want the %d read", got, want)
	}
}

// TestEveryByteReadIsCounted: bytes of failed attempts and of HTML
// answers are read from the network too, and count against the budget
// and in CountBytes.
func TestEveryByteReadIsCounted(t *testing.T) {
	t.Parallel()
	body := bytes.Repeat([]byte("r"), 100_000)
	var tries sync.Map
	srv, _ := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/retried": // half the body, then the connection drops; whole the second time
			n, _ := tries.LoadOrStore(r.URL.Path, new(atomic.Int32))
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			if n.(*atomic.Int32).Add(1) == 1 {
				w.Write(body[:len(body)/2])
				return
			}
			w.Write(body)
		case "/html": // no Content-Type (nil stops net/http adding one): sniffed
			w.Header()["Content-Type"] = nil
			w.Header().Set("Content-Length", "7000")
			w.Write([]byte("<html>" + strings.Repeat(" ", 6994)))
		}
	}))
	var counted atomic.Int64
	opts := testOptions()
	opts.Tries, opts.Concurrency = 2, 1
	opts.CountBytes = func(n int64) { counted.Add(n) }
	rep := verifyPins(t, opts, pinAt(srv.URL+"/retried", sum(body), 1), pinAt(srv.URL+"/html", sum(body), 2))
	if rep.Outcomes[0].Status != StatusOK || rep.Outcomes[0].Attempts != 2 || rep.Outcomes[1].Status != StatusUnreachable {
		t.Fatalf("outcomes: %+v", rep.Outcomes)
	}
	// The HTML page is refused on its first read, however much that was.
	if got, attempts := counted.Load(), int64(len(body)/2+len(body)); got <= attempts || got > attempts+7000 {
		t.Errorf("counted %d bytes, want both attempts' %d and the HTML page's first read", got, attempts)
	}
}

// TestSameURLSpellingsFetchOnce: URLs that differ only by fragment or by
// the case of scheme and host are one transfer.
func TestSameURLSpellingsFetchOnce(t *testing.T) {
	t.Parallel()
	srv, requests := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(assetA) }))
	upper := strings.Replace(srv.URL, "http://", "HTTP://", 1)
	rep := verifyPins(t, testOptions(),
		pinAt(srv.URL+"/a", sum(assetA), 1), pinAt(srv.URL+"/a#x", sum(assetA), 2), pinAt(upper+"/a#y", sum(assetA), 3))
	if diff := cmp.Diff(Summary{OK: 3}, rep.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if n := requests.get("/a"); n != 1 {
		t.Errorf("%d requests for one asset, want 1", n)
	}
}
