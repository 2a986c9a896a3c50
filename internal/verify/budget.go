package verify

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pindrift/pindrift/internal/pin"
)

// run is the state of one Verify call: its byte budget and the transfers
// its URLs share.
type run struct {
	max int64
	// used counts body bytes read, plus the announced rest of transfers
	// in flight, against MaxTotalBytes: a transfer whose Content-Length
	// does not fit is refused before its body is read, and two that fit
	// only one at a time do not both start and both fail half way.
	used atomic.Int64

	// algs lists, by transfer key, the algorithms to hash the transfer
	// with; set before the checks start and only read after.
	algs map[string][]pin.Algorithm

	mu        sync.Mutex
	transfers map[string]*sharedTransfer
}

func newRun(max int64) *run { return &run{max: max, transfers: map[string]*sharedTransfer{}} }

// reserve takes n bytes of the budget, or leaves it untouched and reports
// false when they do not fit.
func (r *run) reserve(n int64) bool {
	for {
		cur := r.used.Load()
		if cur+n > r.max {
			return false
		}
		if r.used.CompareAndSwap(cur, cur+n) {
			return true
		}
	}
}

// sharedTransfer is one fetch whose result every URL of the same asset
// takes, so an asset pinned under several spellings is read once a run.
type sharedTransfer struct {
	done chan struct{}
	o    Outcome
	sums map[pin.Algorithm]string
}

// claim returns the transfer for key and whether the caller is the first
// to ask, and so must perform it and close done.
func (r *run) claim(key string) (*sharedTransfer, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if t, ok := r.transfers[key]; ok {
		return t, false
	}
	t := &sharedTransfer{done: make(chan struct{})}
	r.transfers[key] = t
	return t, true
}

// transferKey names what a GET of u fetches: the resolver's asset key
// when it knows the URL, else the URL without its fragment (never sent)
// and with scheme and host in lower case (case-insensitive).
func (v *Verifier) transferKey(u *url.URL) string {
	if k, ok := v.opts.Resolver.(AssetKeyer); ok {
		if key, ok := k.AssetKey(u.String()); ok {
			return "asset " + key
		}
	}
	c := *u
	c.Fragment, c.RawFragment = "", ""
	c.Scheme, c.Host = strings.ToLower(c.Scheme), strings.ToLower(c.Host)
	return "url " + c.String()
}

// shared runs fetch once per key and a run, copying its result into o.
// It returns the digests of the complete body, nil when there was none.
func (v *Verifier) shared(ctx context.Context, r *run, key string, o *Outcome, fetch func(*Outcome) map[pin.Algorithm]string) map[pin.Algorithm]string {
	t, first := r.claim(key)
	if first {
		defer close(t.done)
		t.sums = fetch(o)
		t.o = *o
		return t.sums
	}
	select {
	case <-t.done:
	case <-ctx.Done():
		o.Status, o.Err = StatusUnreachable, "canceled while another URL of the same asset was fetched: "+ctx.Err().Error()
		return nil
	}
	// The bytes were read (and counted) once, by the first URL.
	o.Status, o.Source, o.Err = t.o.Status, t.o.Source, t.o.Err
	o.Size, o.HTTPStatus, o.FinalURL = t.o.Size, t.o.HTTPStatus, t.o.FinalURL
	return t.sums
}
