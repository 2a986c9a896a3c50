package ghhttp_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/ghhttp"
)

// origin serves /r/{name} with a body per name and an ETag, answering
// If-None-Match with 304, and counts what it sent.
type origin struct {
	srv              *httptest.Server
	bodies           map[string]string
	full, notChanged atomic.Int32
}

func newOrigin(t *testing.T, bodies map[string]string) *origin {
	o := &origin{bodies: bodies}
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := o.bodies[strings.TrimPrefix(r.URL.Path, "/r/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		etag := fmt.Sprintf(`"%x-%s"`, len(body), r.Header.Get("Accept"))
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			o.notChanged.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		o.full.Add(1)
		io.WriteString(w, body)
	}))
	t.Cleanup(o.srv.Close)
	return o
}

func get(t *testing.T, tr http.RoundTripper, url, accept string) (int, string, http.Header) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

func TestCacheRevalidates(t *testing.T) {
	t.Parallel()
	o := newOrigin(t, map[string]string{"a": "alpha", "b": "beta"})
	tr := ghhttp.NewCache(0, 0).Transport("installation:1", http.DefaultTransport)

	for i := range 3 {
		code, body, h := get(t, tr, o.srv.URL+"/r/a", "")
		if code != http.StatusOK || body != "alpha" {
			t.Fatalf("GET %d = %d %q; want 200 alpha", i, code, body)
		}
		if revalidated := h.Get(ghhttp.RevalidatedHeader) != ""; revalidated != (i > 0) {
			t.Errorf("GET %d marked revalidated: %v", i, revalidated)
		}
	}
	if full, nm := o.full.Load(), o.notChanged.Load(); full != 1 || nm != 2 {
		t.Errorf("origin sent %d bodies and %d 304s; want 1 and 2", full, nm)
	}
	// The resource changes: the new body, never the stored one.
	o.bodies["a"] = "alpha, changed"
	if _, body, _ := get(t, tr, o.srv.URL+"/r/a", ""); body != "alpha, changed" {
		t.Errorf("after a change: %q", body)
	}
	// Accept is part of the key: another representation is fetched.
	if _, _, h := get(t, tr, o.srv.URL+"/r/b", "application/octet-stream"); h.Get(ghhttp.RevalidatedHeader) != "" {
		t.Error("first GET with another Accept was answered from the cache")
	}
}

func TestCacheScopesAreApart(t *testing.T) {
	t.Parallel()
	o := newOrigin(t, map[string]string{"a": "alpha"})
	c := ghhttp.NewCache(0, 0)
	get(t, c.Transport("installation:1", http.DefaultTransport), o.srv.URL+"/r/a", "")
	if _, _, h := get(t, c.Transport("installation:2", http.DefaultTransport), o.srv.URL+"/r/a", ""); h.Get(ghhttp.RevalidatedHeader) != "" {
		t.Error("installation 2 revalidated what installation 1 stored")
	}
}

func TestCacheIsBounded(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", 3000)
	o := newOrigin(t, map[string]string{"a": big, "b": big, "c": big, "huge": strings.Repeat("y", 9000)})
	c := ghhttp.NewCache(8000, 4000) // two entries fit, with their overhead
	tr := c.Transport("s", http.DefaultTransport)
	for _, n := range []string{"a", "b", "c"} {
		get(t, tr, o.srv.URL+"/r/"+n, "")
	}
	if c.Len() != 2 {
		t.Errorf("cache holds %d entries; want 2", c.Len())
	}
	// a, least recently used, was dropped: fetched in full again.
	if _, _, h := get(t, tr, o.srv.URL+"/r/a", ""); h.Get(ghhttp.RevalidatedHeader) != "" {
		t.Error("the least recently used entry was kept")
	}
	// Over the entry limit: passed on whole, not kept.
	if _, body, _ := get(t, tr, o.srv.URL+"/r/huge", ""); len(body) != 9000 {
		t.Errorf("huge body: %d bytes; want 9000", len(body))
	}
	if _, _, h := get(t, tr, o.srv.URL+"/r/huge", ""); h.Get(ghhttp.RevalidatedHeader) != "" {
		t.Error("a body over the entry limit was kept")
	}
}
