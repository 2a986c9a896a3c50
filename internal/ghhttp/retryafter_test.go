package ghhttp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/ghhttp"
)

func TestWaitOutSecondaryLimits(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		refusals   int
		header     map[string]string
		status     int
		wantStatus int
		wantTries  int32
	}{
		"429 is waited out":              {refusals: 2, status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "0"}, wantStatus: 200, wantTries: 3},
		"403 with Retry-After too":       {refusals: 1, status: http.StatusForbidden, header: map[string]string{"Retry-After": "0"}, wantStatus: 200, wantTries: 2},
		"gives up after 3 waits":         {refusals: 9, status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "0"}, wantStatus: 429, wantTries: 4},
		"primary limit is the caller's":  {refusals: 1, status: http.StatusForbidden, header: map[string]string{"Retry-After": "0", "X-RateLimit-Remaining": "0"}, wantStatus: 403, wantTries: 1},
		"a long wait is the caller's":    {refusals: 1, status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "60"}, wantStatus: 429, wantTries: 1},
		"403 without Retry-After stands": {refusals: 1, status: http.StatusForbidden, wantStatus: 403, wantTries: 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var tries atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if int(tries.Add(1)) <= tc.refusals {
					for k, v := range tc.header {
						w.Header().Set(k, v)
					}
					w.WriteHeader(tc.status)
				}
			}))
			t.Cleanup(srv.Close)
			tr := ghhttp.WaitOutSecondaryLimits(http.DefaultTransport, 10*time.Second, 3)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.wantStatus || tries.Load() != tc.wantTries {
				t.Errorf("status %d after %d tries; want %d after %d", resp.StatusCode, tries.Load(), tc.wantStatus, tc.wantTries)
			}
		})
	}
}

func TestWaitEndsWithTheContext(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	done := make(chan error, 1)
	go func() {
		_, err := ghhttp.WaitOutSecondaryLimits(http.DefaultTransport, 10*time.Second, 3).RoundTrip(req)
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a cancelled wait returned no error")
		}
	case <-time.After(4 * time.Second):
		t.Error("the wait went on after its context ended")
	}
}
