package ghhttp

import (
	"io"
	"net/http"
	"strconv"
	"time"
)

// Defaults for WaitOutSecondaryLimits.
const (
	// DefaultMaxWait is the longest Retry-After waited in place; a longer
	// one is handed to the caller, whose job is postponed.
	DefaultMaxWait = 10 * time.Second
	// DefaultMaxRetries bounds the waits for one request.
	DefaultMaxRetries = 3
)

// WaitOutSecondaryLimits returns next with GitHub's secondary rate limits
// waited out in place: a 429, or a 403 with Retry-After, that asks for at
// most maxWait is retried after that wait, up to maxRetries times. A job
// used to give up on the first refusal and start again from scratch, so
// under steady refusals (20 % of calls) no job ever had the thirty clean
// calls in a row it needs; waiting costs one request's delay instead. A
// refused request was not carried out, so writes are sent again too when
// their body can be. The primary limit (X-RateLimit-Remaining: 0, reset
// up to an hour away) is the caller's to handle. The wait ends with the
// request's context.
func WaitOutSecondaryLimits(next http.RoundTripper, maxWait time.Duration, maxRetries int) http.RoundTripper {
	if maxWait <= 0 {
		maxWait = DefaultMaxWait
	}
	if maxRetries <= 0 {
		maxRetries = DefaultMaxRetries
	}
	return &waitTransport{next: next, maxWait: maxWait, maxRetries: maxRetries}
}

type waitTransport struct {
	next       http.RoundTripper
	maxWait    time.Duration
	maxRetries int
}

func (t *waitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	replay := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	for try := 0; ; try++ {
		out := req
		if try > 0 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			out = req.Clone(req.Context())
			out.Body = body
		}
		resp, err := t.next.RoundTrip(out)
		if err != nil || try == t.maxRetries || !replay {
			return resp, err
		}
		wait, ok := secondaryWait(resp)
		if !ok || wait > t.maxWait {
			return resp, nil
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		timer := time.NewTimer(wait)
		select {
		case <-req.Context().Done():
			timer.Stop()
			return nil, req.Context().Err()
		case <-timer.C:
		}
	}
}

// secondaryWait reads a secondary rate limit's Retry-After (seconds, as
// GitHub sends it) from a 429 or a 403 that is not the primary limit.
func secondaryWait(resp *http.Response) (time.Duration, bool) {
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusForbidden {
		return 0, false
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		return 0, false
	}
	secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || secs < 0 {
		return 0, false
	}
	return time.Duration(secs) * time.Second, true
}
