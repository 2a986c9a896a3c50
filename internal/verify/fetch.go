package verify

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pindrift/pindrift/internal/pin"
)

var errStalled = errors.New("stalled")

var bufPool = sync.Pool{New: func() any { b := make([]byte, defaultCopyBufferBytes); return &b }}

// attempt is the result of one GET.
type attempt struct {
	status     Status // StatusOK when the body was hashed completely
	sums       map[pin.Algorithm]string
	bytes      int64
	size       int64
	held       int64 // bytes of the run's budget taken by this attempt
	httpStatus int
	finalURL   string
	err        error
	transient  bool
	retryAfter time.Duration
}

// download fetches u with retries, hashing the body with every algorithm
// in algs, records the last attempt in o and returns the digests of a
// complete body (nil when there was none).
func (v *Verifier) download(ctx context.Context, r *run, u *url.URL, expectSize int64, algs []pin.Algorithm, o *Outcome) map[pin.Algorithm]string {
	for n := 1; ; n++ {
		a := v.attempt(ctx, r, u, expectSize, algs)
		o.Attempts = n
		o.Bytes, o.HTTPStatus, o.FinalURL = a.bytes, a.httpStatus, a.finalURL
		if a.size >= 0 {
			o.Size = a.size
		}
		if a.err == nil {
			o.Source, o.Err = SourceDownload, ""
			return a.sums
		}
		o.Status, o.Err = a.status, a.err.Error()
		if !a.transient || n >= v.opts.Tries || ctx.Err() != nil {
			if a.transient && n > 1 {
				o.Err = fmt.Sprintf("%s (after %d tries)", o.Err, n)
			}
			return nil
		}
		wait := v.backoff(n)
		if a.retryAfter > 0 {
			if a.retryAfter > v.opts.MaxRetryAfter {
				o.Err = fmt.Sprintf("%s (Retry-After %s is over the %s limit)", o.Err, a.retryAfter, v.opts.MaxRetryAfter)
				return nil
			}
			wait = max(wait, a.retryAfter)
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			o.Err = fmt.Sprintf("%s (canceled while waiting to retry)", o.Err)
			return nil
		}
	}
}

// backoff is exponential with full jitter in its upper half, so retries
// from many transfers spread out.
func (v *Verifier) backoff(n int) time.Duration {
	d := v.opts.BackoffBase << (n - 1)
	if d <= 0 || d > v.opts.BackoffMax {
		d = v.opts.BackoffMax
	}
	return d/2 + rand.N(d/2+1)
}

func parseRetryAfter(h string, now time.Time) time.Duration {
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func (v *Verifier) attempt(ctx context.Context, r *run, u *url.URL, expectSize int64, algs []pin.Algorithm) (a attempt) {
	a.size = -1
	defer func() {
		// An attempt that ends early gives back what it announced but
		// did not read.
		if a.held > a.bytes {
			r.used.Add(a.bytes - a.held)
		}
	}()
	release, err := v.acquire(ctx, u.Host)
	if err != nil {
		return attempt{status: StatusUnreachable, size: -1, err: fmt.Errorf("GET %s: %w", u.Redacted(), err)}
	}
	defer release()

	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	deadline := time.AfterFunc(v.opts.DownloadTimeout, func() { cancel(errTooLong) })
	defer deadline.Stop()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		return attempt{status: StatusRefused, size: -1, err: refusef("%s: %v", u.Redacted(), err)}
	}
	req.Header.Set("User-Agent", v.opts.UserAgent)
	req.Header.Set("Accept", "application/octet-stream, */*;q=0.5")
	req.Header.Set("Accept-Encoding", "identity")

	fail := func(s Status, transient bool, err error) attempt {
		a.status, a.transient, a.err = s, transient, err
		return a
	}

	resp, err := v.client.Do(req)
	if err != nil {
		if isRefused(err) {
			return fail(StatusRefused, false, err)
		}
		if ctx.Err() != nil {
			return fail(StatusUnreachable, false, fmt.Errorf("GET %s: %w", u.Redacted(), ctx.Err()))
		}
		if errors.Is(context.Cause(actx), errTooLong) {
			return fail(StatusUnreachable, false, fmt.Errorf("GET %s: no answer within the %s download timeout", u.Redacted(), v.opts.DownloadTimeout))
		}
		return fail(StatusUnreachable, true, err)
	}
	defer resp.Body.Close()
	a.httpStatus = resp.StatusCode
	a.finalURL = resp.Request.URL.Redacted()
	a.size = resp.ContentLength

	switch code := resp.StatusCode; {
	case code == http.StatusNotFound || code == http.StatusGone:
		return fail(StatusMissing, false, fmt.Errorf("GET %s: HTTP %s", a.finalURL, resp.Status))
	case code == http.StatusTooManyRequests || code >= 500:
		a.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		return fail(StatusUnreachable, true, fmt.Errorf("GET %s: HTTP %s", a.finalURL, resp.Status))
	case code != http.StatusOK:
		return fail(StatusUnreachable, false, fmt.Errorf("GET %s: HTTP %s", a.finalURL, resp.Status))
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/html" || mt == "application/xhtml+xml" {
		return fail(StatusUnreachable, false, fmt.Errorf("GET %s: got an HTML page (Content-Type %s) where an asset was expected", a.finalURL, mt))
	}
	if a.size >= 0 && expectSize >= 0 && a.size != expectSize {
		return fail(StatusUnreachable, true, fmt.Errorf("GET %s: server announces %d bytes, the release says %d", a.finalURL, a.size, expectSize))
	}
	if a.size > v.opts.MaxAssetBytes {
		return fail(StatusRefused, false, refusef("%s: %d bytes is over the %d-byte asset limit", a.finalURL, a.size, v.opts.MaxAssetBytes))
	}
	if a.size > 0 {
		if !r.reserve(a.size) {
			return fail(StatusRefused, false, refusef("%s: not verified: its %d bytes would exceed the %s of %d bytes (%d used)",
				a.finalURL, a.size, v.opts.BudgetName, v.opts.MaxTotalBytes, r.used.Load()))
		}
		a.held = a.size
	}

	var tr Transfer = nopTransfer{}
	if v.opts.Observer != nil {
		total := a.size
		if total < 0 {
			total = expectSize
		}
		tr = v.opts.Observer.Transfer(u.String(), total)
	}
	err = v.hashBody(ctx, actx, cancel, r, resp, &a, algs, tr)
	if err == nil && a.size >= 0 && a.bytes != a.size {
		err = fmt.Errorf("GET %s: body is %d bytes, %d announced", a.finalURL, a.bytes, a.size)
		a.status, a.transient = StatusUnreachable, true
	}
	if err == nil && expectSize >= 0 && a.bytes != expectSize {
		err = fmt.Errorf("GET %s: body is %d bytes, the release says %d", a.finalURL, a.bytes, expectSize)
		a.status, a.transient = StatusUnreachable, true
	}
	tr.Done(err)
	if err != nil {
		a.err = err
		return a
	}
	a.status = StatusOK
	return a
}

// hashBody streams resp.Body through every hash of algs at once, failing
// on stalls, limits and HTML bodies. On error it sets a.status and
// a.transient.
func (v *Verifier) hashBody(ctx, actx context.Context, cancel context.CancelCauseFunc, r *run, resp *http.Response, a *attempt, algs []pin.Algorithm, tr Transfer) error {
	stall := time.AfterFunc(v.opts.StallTimeout, func() { cancel(errStalled) })
	defer stall.Stop()
	var read atomic.Int64
	defer v.watchThroughput(&read, cancel)()
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	hashes := make([]hash.Hash, len(algs))
	writers := make([]io.Writer, len(algs))
	for i, alg := range algs {
		hashes[i] = alg.New()
		writers[i] = hashes[i]
	}
	h := io.MultiWriter(writers...)
	sniff := resp.Header.Get("Content-Type") == ""
	for {
		n, err := resp.Body.Read(buf)
		if n > 0 {
			stall.Reset(v.opts.StallTimeout)
			// Every byte read counts, whatever the verdict on it.
			a.bytes += int64(n)
			read.Add(int64(n))
			if v.opts.CountBytes != nil {
				v.opts.CountBytes(int64(n))
			}
			tr.Add(n)
			if a.bytes > a.held {
				over := r.used.Add(a.bytes-a.held) > v.opts.MaxTotalBytes
				a.held = a.bytes
				if over {
					a.status = StatusRefused
					return refusef("%s: not verified: the %s of %d bytes ran out after %d bytes of it",
						a.finalURL, v.opts.BudgetName, v.opts.MaxTotalBytes, a.bytes)
				}
			}
			if sniff && a.bytes == int64(n) && looksLikeHTML(buf[:n]) {
				a.status = StatusUnreachable
				return fmt.Errorf("GET %s: got an HTML page where an asset was expected", a.finalURL)
			}
			h.Write(buf[:n])
			if a.bytes > v.opts.MaxAssetBytes {
				a.status = StatusRefused
				return refusef("%s: over the %d-byte asset limit", a.finalURL, v.opts.MaxAssetBytes)
			}
		}
		if err == io.EOF {
			a.sums = make(map[pin.Algorithm]string, len(algs))
			for i, alg := range algs {
				a.sums[alg] = hex.EncodeToString(hashes[i].Sum(nil))
			}
			return nil
		}
		if err != nil {
			a.status = StatusUnreachable
			switch {
			case ctx.Err() != nil:
				return fmt.Errorf("GET %s: %w after %d bytes", a.finalURL, ctx.Err(), a.bytes)
			case errors.As(context.Cause(actx), new(*tooSlowError)):
				// Not retried: the next attempt would trickle as well, and
				// the worker is wanted elsewhere.
				return fmt.Errorf("GET %s: %w (after %d bytes)", a.finalURL, context.Cause(actx), a.bytes)
			case errors.Is(context.Cause(actx), errTooLong):
				return fmt.Errorf("GET %s: not finished within the %s download timeout (after %d bytes)", a.finalURL, v.opts.DownloadTimeout, a.bytes)
			case errors.Is(context.Cause(actx), errStalled):
				a.transient = true
				return fmt.Errorf("GET %s: no byte for %s after %d bytes", a.finalURL, v.opts.StallTimeout, a.bytes)
			case errors.Is(err, io.ErrUnexpectedEOF) && a.size >= 0:
				a.transient = true
				return fmt.Errorf("GET %s: body ended after %d of %d bytes", a.finalURL, a.bytes, a.size)
			}
			a.transient = true
			return fmt.Errorf("GET %s: after %d bytes: %w", a.finalURL, a.bytes, err)
		}
	}
}

type nopTransfer struct{}

func (nopTransfer) Add(int)    {}
func (nopTransfer) Done(error) {}

var htmlPrefixes = [][]byte{[]byte("<!doctype html"), []byte("<html")}

func looksLikeHTML(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n\ufeff")
	for _, p := range htmlPrefixes {
		if len(b) >= len(p) && bytes.EqualFold(b[:len(p)], p) {
			return true
		}
	}
	return false
}
