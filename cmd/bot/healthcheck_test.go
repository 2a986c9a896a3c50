package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pindrift/pindrift/internal/server/probe"
)

// healthServer answers /readyz as a bot serve in the given state would,
// and counts the requests it gets.
func healthServer(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestHealthcheck(t *testing.T) {
	tests := map[string]struct {
		handler http.HandlerFunc
		// args after "healthcheck"; "URL" is replaced by the server's
		// URL and "PORT" by its port.
		args       []string
		env        map[string]string
		wantCode   int
		wantStdout string
		wantStderr []string
		wantAsked  bool
	}{
		"ready": {
			handler:  func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ready") },
			args:     []string{"--url", "URL/readyz"},
			wantCode: 0, wantStdout: "ready\n", wantAsked: true,
		},
		"ready with GitHub unreachable is still healthy": {
			handler: func(w http.ResponseWriter, _ *http.Request) {
				fmt.Fprintln(w, "ready; GitHub API unreachable: GET https://api.github.com/app: 502 Bad Gateway")
			},
			args:     []string{"--url", "URL/readyz"},
			wantCode: 0, wantStdout: "ready; GitHub API unreachable: GET https://api.github.com/app: 502 Bad Gateway\n", wantAsked: true,
		},
		"not ready": {
			handler: func(w http.ResponseWriter, _ *http.Request) {
				http.Error(w, "database: sql: database is closed", http.StatusServiceUnavailable)
			},
			args:     []string{"--url", "URL/readyz"},
			wantCode: 1, wantStderr: []string{"GET http://127.0.0.1:", "/readyz: 503 Service Unavailable: database: sql: database is closed"},
			wantAsked: true,
		},
		"redirect is not followed": {
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "http://example.com/", http.StatusFound)
			},
			args:     []string{"--url", "URL/readyz"},
			wantCode: 1, wantStderr: []string{"302 Found: redirects to http://example.com/"}, wantAsked: true,
		},
		"no answer within the timeout": {
			handler:  func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
			args:     []string{"--url", "URL/readyz", "--timeout", "50ms"},
			wantCode: 1, wantStderr: []string{"/readyz: no answer within 50ms"}, wantAsked: true,
		},
		"default URL is /readyz on PINDRIFT_SERVER_PORT": {
			handler: func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/readyz" {
					http.NotFound(w, r)
					return
				}
				fmt.Fprintln(w, "ready")
			},
			env:      map[string]string{"PINDRIFT_SERVER_PORT": "PORT"},
			wantCode: 0, wantStdout: "ready\n", wantAsked: true,
		},
		"localhost resolves to loopback": {
			handler:  func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") },
			args:     []string{"--url", "http://localhost:PORT/healthz"},
			wantCode: 0, wantStdout: "ok\n", wantAsked: true,
		},
		"bad PINDRIFT_SERVER_PORT": {
			env:      map[string]string{"PINDRIFT_SERVER_PORT": "http"},
			wantCode: 3, wantStderr: []string{`environment variable PINDRIFT_SERVER_PORT: "http" is not a port number`},
		},
		"not loopback": {
			args:     []string{"--url", "http://192.0.2.10:8080/readyz"},
			wantCode: 3, wantStderr: []string{"192.0.2.10 is not a loopback address"},
		},
		"IPv4-mapped not loopback": {
			args:     []string{"--url", "http://[::ffff:192.0.2.10]:8080/readyz"},
			wantCode: 3, wantStderr: []string{"is not a loopback address"},
		},
		"https needs --allow-remote": {
			args:     []string{"--url", "https://127.0.0.1:8443/readyz"},
			wantCode: 3, wantStderr: []string{"want an http:// URL"},
		},
		"not a URL at all": {
			args:     []string{"--url", "file:///etc/passwd"},
			wantCode: 3, wantStderr: []string{"want an http:// URL"},
		},
		"non-positive timeout": {
			args:     []string{"--timeout", "0s"},
			wantCode: 3, wantStderr: []string{"--timeout must be positive"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			handler := tc.handler
			if handler == nil {
				handler = func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ready") }
			}
			srv, asked := healthServer(t, handler)
			u, err := url.Parse(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			subst := strings.NewReplacer("URL", srv.URL, "PORT", u.Port())
			args := []string{"healthcheck"}
			for _, a := range tc.args {
				args = append(args, subst.Replace(a))
			}
			// Nothing from the developer's environment decides the port.
			unsetEnv(t, probe.PortEnv)
			for k, v := range tc.env {
				t.Setenv(k, subst.Replace(v))
			}
			var stdout, stderr bytes.Buffer
			code := run(args, &stdout, &stderr)
			if code != tc.wantCode {
				t.Errorf("bot %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, tc.wantCode, &stdout, &stderr)
			}
			if tc.wantCode == 0 && stdout.String() != tc.wantStdout {
				t.Errorf("stdout %q, want %q", stdout.String(), tc.wantStdout)
			}
			for _, want := range tc.wantStderr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr %q lacks %q", stderr.String(), want)
				}
			}
			if got := asked.Load() > 0; got != tc.wantAsked {
				t.Errorf("the server was asked: %v, want %v", got, tc.wantAsked)
			}
		})
	}
}

func TestHealthcheckConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens there any more
	var stdout, stderr bytes.Buffer
	if code := run([]string{"healthcheck", "--url", addr + "/readyz"}, &stdout, &stderr); code != 1 {
		t.Errorf("exit %d, want 1; stderr %s", code, &stderr)
	}
	if !strings.Contains(stderr.String(), "connection refused") {
		t.Errorf("stderr %q does not say the connection was refused", stderr.String())
	}
}

// unsetEnv removes a variable for the test, restoring it afterwards.
func unsetEnv(t *testing.T, name string) {
	t.Helper()
	t.Setenv(name, "") // registers the restore
	if err := os.Unsetenv(name); err != nil {
		t.Fatal(err)
	}
}
