package ghhttp

import (
	"bytes"
	"container/list"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// Defaults for NewCache.
const (
	// DefaultCacheBytes bounds the bodies a process keeps for revalidation.
	DefaultCacheBytes = 32 << 20
	// DefaultMaxEntryBytes is the largest body kept: a manifest at the
	// evaluator's 2 MiB limit, base64 in a contents answer, fits.
	DefaultMaxEntryBytes = 4 << 20
)

// RevalidatedHeader marks a response the cache answered after GitHub said
// 304 Not Modified, so metrics can count it apart: the caller sees the
// stored 200.
const RevalidatedHeader = "X-Pindrift-Revalidated"

// Cache keeps GET responses that carry an ETag or Last-Modified, in
// memory, least recently used first out, so the next GET of the same
// resource asks GitHub "changed since?" and gets 304 Not Modified when it
// has not. A stored response is never served without asking: the cache
// saves rate limit, not freshness (a release edited a second ago is seen).
// It lives as long as the process, across jobs and their retries; a
// restart starts it empty.
type Cache struct {
	maxBytes, maxEntry int64

	mu    sync.Mutex
	used  int64
	order *list.List // of *entry, most recently used first
	byKey map[string]*list.Element
}

type entry struct {
	key           string
	etag, lastMod string
	header        http.Header
	body          []byte
}

func (e *entry) size() int64 { return int64(len(e.body)+len(e.key)) + 512 }

// NewCache returns a cache holding at most maxBytes of bodies, none over
// maxEntry bytes; zero values take the defaults.
func NewCache(maxBytes, maxEntry int64) *Cache {
	if maxBytes <= 0 {
		maxBytes = DefaultCacheBytes
	}
	if maxEntry <= 0 {
		maxEntry = DefaultMaxEntryBytes
	}
	return &Cache{maxBytes: maxBytes, maxEntry: min(maxEntry, maxBytes),
		order: list.New(), byKey: map[string]*list.Element{}}
}

// Transport returns next with the cache in front of it for GETs. scope
// separates credentials that may see different things (an installation,
// the App, anonymous): the token itself is not part of the key, so what
// one installation token stored is revalidated by the next one.
func (c *Cache) Transport(scope string, next http.RoundTripper) http.RoundTripper {
	return &cacheTransport{c: c, scope: scope, next: next}
}

// Len is the number of stored responses.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

type cacheTransport struct {
	c     *Cache
	scope string
	next  http.RoundTripper
}

func (t *cacheTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// A caller's own conditional or partial request is its business.
	if req.Method != http.MethodGet || req.Header.Get("Range") != "" ||
		req.Header.Get("If-None-Match") != "" || req.Header.Get("If-Modified-Since") != "" {
		return t.next.RoundTrip(req)
	}
	// Accept is part of the key: the same URL answers JSON, raw bytes or
	// a redirect to them depending on it.
	key := t.scope + "\x00" + req.Header.Get("Accept") + "\x00" + req.URL.String()
	stored := t.c.get(key)
	out := req
	if stored != nil {
		out = req.Clone(req.Context())
		if stored.etag != "" {
			out.Header.Set("If-None-Match", stored.etag)
		} else {
			out.Header.Set("If-Modified-Since", stored.lastMod)
		}
	}
	resp, err := t.next.RoundTrip(out)
	if err != nil {
		return resp, err
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && stored != nil:
		// Drain so the connection is reused; the body of a 304 is empty.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		resp.Body.Close()
		return stored.response(req, resp.Header), nil
	case resp.StatusCode == http.StatusOK:
		etag, lastMod := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
		if etag == "" && lastMod == "" {
			t.c.remove(key)
			return resp, nil
		}
		return t.c.store(key, etag, lastMod, resp)
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		t.c.remove(key)
	}
	return resp, nil
}

// store keeps resp's body when it fits and hands resp on either way.
func (c *Cache) store(key, etag, lastMod string, resp *http.Response) (*http.Response, error) {
	if resp.ContentLength > c.maxEntry {
		c.remove(key)
		return resp, nil
	}
	head, err := io.ReadAll(io.LimitReader(resp.Body, c.maxEntry+1))
	if err != nil {
		resp.Body.Close()
		return nil, fmt.Errorf("read %s: %w", resp.Request.URL.Redacted(), err)
	}
	if int64(len(head)) > c.maxEntry {
		// Too big to keep: the caller reads it all the same.
		c.remove(key)
		resp.Body = readCloser{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
		return resp, nil
	}
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(head))
	e := &entry{key: key, etag: etag, lastMod: lastMod, header: resp.Header.Clone(), body: head}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeLocked(key)
	c.byKey[key] = c.order.PushFront(e)
	c.used += e.size()
	for c.used > c.maxBytes && c.order.Len() > 0 {
		c.removeLocked(c.order.Back().Value.(*entry).key)
	}
	return resp, nil
}

func (c *Cache) get(key string) *entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil
	}
	c.order.MoveToFront(el)
	return el.Value.(*entry)
}

func (c *Cache) remove(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeLocked(key)
}

func (c *Cache) removeLocked(key string) {
	el, ok := c.byKey[key]
	if !ok {
		return
	}
	c.order.Remove(el)
	delete(c.byKey, key)
	c.used -= el.Value.(*entry).size()
}

// notRefreshed are the stored headers a 304 does not replace: they
// describe the stored body.
var notRefreshed = map[string]bool{"Content-Length": true, "Content-Type": true, "Content-Encoding": true,
	"Transfer-Encoding": true}

// response is the stored 200 for req, with the headers of the 304 that
// confirmed it (rate limit, date) over the stored ones.
func (e *entry) response(req *http.Request, fresh http.Header) *http.Response {
	h := e.header.Clone()
	for k, vs := range fresh {
		if !notRefreshed[k] {
			h[k] = vs
		}
	}
	h.Set(RevalidatedHeader, "1")
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(bytes.NewReader(e.body)), ContentLength: int64(len(e.body)), Request: req,
	}
}

type readCloser struct {
	io.Reader
	io.Closer
}
