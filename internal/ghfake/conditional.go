package ghfake

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// GitHub answers a GET whose If-None-Match names the current ETag with 304
// Not Modified and no body, and does not count it against the rate limit
// when it carries valid credentials. The fake does the same for every API
// GET: the handler's answer is buffered, its ETag is a hash of the body
// (so it changes exactly when the resource does), and a match becomes 304.

// etagWriter buffers a GET's answer until the ETag is known.
type etagWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *etagWriter) Header() http.Header { return w.header }

func (w *etagWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *etagWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

// finish sends the buffered answer to out, or 304 when r already holds it.
func (w *etagWriter) finish(out http.ResponseWriter, r *http.Request) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.status == http.StatusOK {
		sum := sha256.Sum256(w.body.Bytes())
		etag := `W/"` + hex.EncodeToString(sum[:16]) + `"`
		out.Header().Set("ETag", etag)
		if etagMatches(r.Header.Get("If-None-Match"), etag) {
			out.Header().Del("Content-Type")
			out.Header().Del("Content-Length")
			out.WriteHeader(http.StatusNotModified)
			return
		}
	}
	out.WriteHeader(w.status)
	_, _ = out.Write(w.body.Bytes()) // the client went away; the test sees its own error
}

// etagMatches applies If-None-Match's weak comparison: a list of tags, or *.
func etagMatches(header, etag string) bool {
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}

// Counted reports whether GitHub would count the request against the
// installation's rate limit: every API request except a 304 answer to a
// conditional one. Downloads are not API requests.
func (r Request) Counted() bool {
	return r.API && r.Status != http.StatusNotModified
}

// NotModified reports a conditional API request answered 304.
func (r Request) NotModified() bool {
	return r.API && r.Status == http.StatusNotModified
}
