package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
)

func TestSizeLimits(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte("x"), 64<<10)
	srv, _ := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/announced" {
			w.Header().Set("Content-Length", fmt.Sprint(len(big)))
		}
		w.Write(big) // chunked unless announced
	}))
	tests := map[string]struct {
		path     string
		maxAsset int64
		maxTotal int64
		wantPart string
	}{
		"announced size over the asset cap": {path: "/announced", maxAsset: 1000, wantPart: "asset limit"},
		"streamed size over the asset cap":  {path: "/chunked", maxAsset: 1000, wantPart: "asset limit"},
		"announced size over the budget":    {path: "/announced", maxTotal: 1000, wantPart: "budget"},
		"streamed size over the budget":     {path: "/chunked", maxTotal: 1000, wantPart: "budget"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts := testOptions()
			opts.MaxAssetBytes, opts.MaxTotalBytes = tc.maxAsset, tc.maxTotal
			o := verifyPins(t, opts, pinAt(srv.URL+tc.path, sum(big), 1)).Outcomes[0]
			if o.Status != StatusRefused || !strings.Contains(o.Err, tc.wantPart) {
				t.Errorf("got %s (%s), want refused mentioning %q", o.Status, o.Err, tc.wantPart)
			}
			if o.Bytes > 1000+defaultCopyBufferBytes {
				t.Errorf("read %d bytes past a 1000-byte limit", o.Bytes)
			}
		})
	}
}

func TestBudgetSpansTheRun(t *testing.T) {
	t.Parallel()
	asset := bytes.Repeat([]byte("y"), 1000)
	srv, _ := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.Write(asset)
	}))
	opts := testOptions()
	opts.Concurrency, opts.MaxTotalBytes = 1, 2500
	var pins []pin.Pin
	for i := range 4 {
		pins = append(pins, pinAt(fmt.Sprintf("%s/%d", srv.URL, i), sum(asset), i+1))
	}
	rep := verifyPins(t, opts, pins...)
	if diff := cmp.Diff(Summary{OK: 2, Refused: 2}, rep.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}

func TestStalledBodyIsUnreachable(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv, requests := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000000")
		w.Write(make([]byte, 1000))
		w.(http.Flusher).Flush()
		select { // never send the rest
		case <-r.Context().Done():
		case <-release:
		}
	}))
	opts := testOptions()
	opts.StallTimeout, opts.Tries = 50*time.Millisecond, 2
	o := verifyPins(t, opts, pinAt(srv.URL+"/stalls", sum(assetA), 1)).Outcomes[0]
	if o.Status != StatusUnreachable || !strings.Contains(o.Err, "no byte for 50ms") {
		t.Errorf("got %s (%s), want unreachable after a stall", o.Status, o.Err)
	}
	if n := requests.get("/stalls"); n != 2 {
		t.Errorf("%d requests, want 2 (a stall is retried)", n)
	}
	if o.Bytes != 1000 {
		t.Errorf("bytes = %d, want the 1000 received before the stall", o.Bytes)
	}
}

func TestCancelStopsAllTransfers(t *testing.T) {
	t.Parallel()
	const n = 4
	var started, finished sync.WaitGroup
	started.Add(n)
	finished.Add(n)
	srv, _ := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer finished.Done()
		started.Done()
		chunk := make([]byte, 1024)
		for { // an endless trickle: only the client hanging up ends it
			if _, err := w.Write(chunk); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}))
	var pins []pin.Pin
	for i := range n {
		pins = append(pins, pinAt(fmt.Sprintf("%s/%d", srv.URL, i), sum(assetA), i+1))
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		started.Wait()
		cancel()
	}()
	rep, err := New(testOptions()).Verify(ctx, pins, nil, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Verify error = %v, want context.Canceled", err)
	}
	if diff := cmp.Diff(Summary{Unreachable: n}, rep.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	for _, o := range rep.Outcomes {
		if o.Attempts != 1 {
			t.Errorf("%s: %d attempts; a cancelled transfer must not be retried", o.URL, o.Attempts)
		}
	}
	// Every handler sees its client go away; if a transfer kept running,
	// this would hang until the test binary's timeout.
	finished.Wait()
}

type recordingObserver struct {
	mu     sync.Mutex
	totals map[string]int64
	added  map[string]int64
	errs   map[string]error
}

func (r *recordingObserver) Transfer(url string, size int64) Transfer {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.totals[url] = size
	return &recordingTransfer{r: r, url: url}
}

type recordingTransfer struct {
	r   *recordingObserver
	url string
}

func (t *recordingTransfer) Add(n int) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	t.r.added[t.url] += int64(n)
}

func (t *recordingTransfer) Done(err error) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	t.r.errs[t.url] = err
}

func TestObserverSeesProgress(t *testing.T) {
	t.Parallel()
	base, _ := outcomesServer(t)
	obs := &recordingObserver{totals: map[string]int64{}, added: map[string]int64{}, errs: map[string]error{}}
	opts := testOptions()
	opts.Observer = obs
	verifyPins(t, opts, pinAt(base+"/ok", sum(assetA), 1))
	u := base + "/ok"
	if obs.totals[u] != int64(len(assetA)) || obs.added[u] != int64(len(assetA)) || obs.errs[u] != nil {
		t.Errorf("observer saw total %d, added %d, err %v; want %d, %d, nil",
			obs.totals[u], obs.added[u], obs.errs[u], len(assetA), len(assetA))
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	tests := map[string]time.Duration{
		"":                              0,
		"7":                             7 * time.Second,
		"-1":                            0,
		"soon":                          0,
		"Sun, 01 Jun 2025 12:00:30 GMT": 30 * time.Second,
		"Sun, 01 Jun 2025 11:00:00 GMT": 0,
	}
	for in, want := range tests {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}
