package webhook

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// budgetHook serves an endpoint whose in-flight budget is max bytes, so a
// test can fill it with small bodies.
func budgetHook(t *testing.T, q Queue, max int64) (*endpoint, string) {
	t.Helper()
	e, err := newEndpoint(Config{WebhookSecret: testSecret, AppID: testAppID, AppLogin: testAppLogin}, q)
	if err != nil {
		t.Fatal(err)
	}
	e.budget = &budget{max: max}
	logger := zerolog.New(io.Discard)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.ServeHTTP(w, r.WithContext(logger.WithContext(r.Context())))
	}))
	t.Cleanup(srv.Close)
	return e, srv.URL + Route
}

// stalledPost starts a POST whose body, of length bytes (-1: chunked, no
// Content-Length), is written only once release is closed. The response
// comes on the returned channel.
func stalledPost(t *testing.T, url string, length int64, release <-chan struct{}) <-chan *http.Response {
	t.Helper()
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.CloseWithError(io.ErrClosedPipe) })
	go func() {
		<-release
		n := max(length, 1024)
		// The write fails once the server has answered without reading.
		if _, err := io.Copy(pw, io.LimitReader(zeros{}, n)); err == nil {
			pw.Close()
		}
	}()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, pr)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = length
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", "release")
	// A signature is claimed, as an attacker would: it is checked only
	// once the body is read.
	req.Header.Set("X-Hub-Signature-256", sign("not the secret", nil))
	out := make(chan *http.Response, 1)
	tr := newTransport(t)
	go func() {
		res, err := tr.RoundTrip(req)
		if err != nil {
			t.Errorf("POST: %v", err)
			out <- nil
			return
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		out <- res
	}()
	return out
}

// waitReserved waits until the endpoint has reserved n bytes; the test's
// deadline ends a wait that never ends.
func waitReserved(t *testing.T, e *endpoint, n int64) {
	t.Helper()
	for e.budget.inFlight() != n {
		select {
		case <-t.Context().Done():
			t.Fatalf("%d bytes reserved, never %d", e.budget.inFlight(), n)
		case <-time.After(time.Millisecond):
		}
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestConcurrentBodiesStayWithinBudget(t *testing.T) {
	t.Parallel()
	const body, fit, sent = 1 << 20, 4, 24
	q := &fakeQueue{}
	e, url := budgetHook(t, q, fit*body)
	release := make(chan struct{})
	var responses []<-chan *http.Response
	for range sent {
		responses = append(responses, stalledPost(t, url, body, release))
	}
	// Those beyond the budget are answered without a byte of their body
	// being read; those within wait for their bodies.
	status := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	refused := make(chan struct{}, sent)
	for _, c := range responses {
		wg.Go(func() {
			res := <-c
			if res == nil {
				return
			}
			mu.Lock()
			status[res.StatusCode]++
			mu.Unlock()
			if res.StatusCode == http.StatusServiceUnavailable {
				if res.Header.Get("Retry-After") == "" {
					t.Error("503 without Retry-After")
				}
				refused <- struct{}{}
			}
		})
	}
	for range sent - fit {
		<-refused
	}
	if got := e.budget.inFlight(); got != fit*body {
		t.Errorf("%d bytes reserved while %d deliveries are being read, want %d", got, fit, fit*body)
	}
	close(release)
	wg.Wait()
	want := map[int]int{http.StatusServiceUnavailable: sent - fit, http.StatusUnauthorized: fit}
	if fmt.Sprint(status) != fmt.Sprint(want) {
		t.Errorf("statuses %v, want %v", status, want)
	}
	if peak := e.budget.maxReserved(); peak > fit*body {
		t.Errorf("%d bytes held at once, over the budget of %d", peak, fit*body)
	}
	if got := e.budget.inFlight(); got != 0 {
		t.Errorf("%d bytes still reserved after every delivery was answered", got)
	}
	if v, p := q.jobs(); len(v)+len(p) != 0 {
		t.Errorf("jobs enqueued: %+v %+v", v, p)
	}
}

func TestChunkedBodyReservesTheCap(t *testing.T) {
	t.Parallel()
	e, url := budgetHook(t, &fakeQueue{}, MaxPayloadBytes)
	release := make(chan struct{})
	chunked := stalledPost(t, url, -1, release)
	waitReserved(t, e, MaxPayloadBytes)
	// A delivery of 1 KB does not fit beside a chunked one.
	small := stalledPost(t, url, 1024, release)
	res := <-small
	if res == nil || res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("a delivery beside a chunked one got %v, want 503", res)
	}
	close(release)
	if res := <-chunked; res == nil || res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the unsigned chunked delivery got %v, want 401", res)
	}
}

func TestContentLengthOverTheCapIsRefusedUnread(t *testing.T) {
	t.Parallel()
	e, url := budgetHook(t, &fakeQueue{}, DefaultMaxBytesInFlight)
	// The body never comes: the answer must not wait for it.
	res := <-stalledPost(t, url, MaxPayloadBytes+1, make(chan struct{}))
	if res == nil || res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("got %v, want 413", res)
	}
	if peak := e.budget.maxReserved(); peak != 0 {
		t.Errorf("%d bytes reserved for a delivery refused by its Content-Length", peak)
	}
}

func signSHA1(secret string, body []byte) string {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write(body)
	return "sha1=" + hex.EncodeToString(mac.Sum(nil))
}

func TestUnsignedDeliveryIsRefusedUnread(t *testing.T) {
	t.Parallel()
	e, url := budgetHook(t, &fakeQueue{}, MaxPayloadBytes)
	pr, pw := io.Pipe() // never written: the answer must not wait for it
	t.Cleanup(func() { pw.Close() })
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, pr)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = 1 << 20
	req.Header.Set("X-GitHub-Event", "release")
	res, err := newTransport(t).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", res.StatusCode)
	}
	if peak := e.budget.maxReserved(); peak != 0 {
		t.Errorf("%d bytes reserved for a delivery without a signature", peak)
	}
}

func TestSHA1SignatureAloneIsRefused(t *testing.T) {
	t.Parallel()
	q := &fakeQueue{}
	h := newHook(t, q)
	body := fixture(t, "release.published", nil)
	status, msg := h.post(t, "release", body, map[string]string{
		"X-Hub-Signature-256": "", "X-Hub-Signature": signSHA1(testSecret, body)})
	if status != http.StatusUnauthorized || !strings.Contains(msg, "X-Hub-Signature-256") {
		t.Errorf("status %d %q, want 401 naming X-Hub-Signature-256", status, msg)
	}
	if v, p := q.jobs(); len(v)+len(p) != 0 {
		t.Errorf("jobs enqueued: %+v %+v", v, p)
	}
	// With both, as GitHub sends them, the delivery goes through.
	status, _ = h.post(t, "release", body, map[string]string{"X-Hub-Signature": signSHA1(testSecret, body)})
	if v, _ := q.jobs(); status != http.StatusOK || len(v) != 1 {
		t.Errorf("a delivery signed both ways: status %d, %d jobs, want 200 and 1", status, len(v))
	}
}
