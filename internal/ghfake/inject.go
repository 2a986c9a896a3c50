package ghfake

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"
)

// Failure is an error response the fake gives instead of serving a request.
type Failure struct {
	Method  string // "" matches any method
	Path    string // API path pattern as for Matching
	Times   int    // how many matching requests fail; 0 means 1
	Status  int
	Message string // GitHub's error message; a default per status when empty
	Header  http.Header
	// Applied serves the request first and then answers the failure, as
	// when GitHub carried out a write but its answer was lost (a 502 from
	// a proxy): a client that retries blindly repeats the write.
	Applied bool
}

type failure struct {
	Failure
	segs []string
}

// Fail makes the next f.Times requests matching f.Method and f.Path fail with
// f.Status. Failures are consumed in the order they were added.
func (s *Server) Fail(f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times <= 0 {
		f.Times = 1
	}
	if f.Message == "" {
		f.Message = http.StatusText(f.Status)
	}
	s.failures = append(s.failures, &failure{Failure: f, segs: splitPath(f.Path)})
}

// FailStatus makes the next n matching requests fail with status (500, 502, ...).
func (s *Server) FailStatus(method, path string, n, status int) {
	s.Fail(Failure{Method: method, Path: path, Times: n, Status: status})
}

// RateLimit makes the next n matching requests fail as GitHub does when the
// primary rate limit is exhausted: 403, X-RateLimit-Remaining: 0 and the
// reset time.
func (s *Server) RateLimit(method, path string, n int, reset time.Time) {
	h := http.Header{}
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Used", "5000")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	s.Fail(Failure{Method: method, Path: path, Times: n, Status: http.StatusForbidden, Header: h,
		Message: "API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID."})
}

// RetryAfter makes the next n matching requests fail with 429 and a
// Retry-After header, as for GitHub's secondary rate limits.
func (s *Server) RetryAfter(method, path string, n int, after time.Duration) {
	h := http.Header{}
	h.Set("Retry-After", strconv.Itoa(int(after/time.Second)))
	s.Fail(Failure{Method: method, Path: path, Times: n, Status: http.StatusTooManyRequests, Header: h,
		Message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."})
}

// injectFailure answers c with the first pending matching failure, after
// serve for a failure that is Applied. Callers hold mu.
func (s *Server) injectFailure(c *call, serve func()) bool {
	for i, f := range s.failures {
		if f.Method != "" && f.Method != c.rec.Method {
			continue
		}
		if _, ok := matchSegments(f.segs, splitPath(c.rec.Path)); !ok {
			continue
		}
		f.Times--
		if f.Times == 0 {
			s.failures = append(s.failures[:i], s.failures[i+1:]...)
		}
		if f.Applied {
			w := c.w
			c.w = httptest.NewRecorder() // the answer that was lost
			serve()
			c.w = w
		}
		for k, vs := range f.Header {
			c.w.Header()[k] = vs
		}
		c.errorJSON(f.Status, f.Message)
		return true
	}
	return false
}

// PendingFailures is the number of injected failures not yet consumed.
func (s *Server) PendingFailures() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, f := range s.failures {
		n += f.Times
	}
	return n
}
