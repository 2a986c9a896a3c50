package server_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/config"
	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/jobs"
	"github.com/pindrift/pindrift/internal/server"
)

// startWithGitHub builds and serves the App against a fake GitHub broken
// by breakIt before start; it returns the app, the served URL and the
// channel Serve's result arrives on, and the function that stops it.
func startWithGitHub(t *testing.T, breakIt func(gh *ghfake.Server)) (*app, <-chan error, context.CancelFunc) {
	t.Helper()
	a := newAppGitHubOnly(t)
	clearEnv(t)
	dbURL, schema := databaseURL(t)
	cfgFile := filepath.Join(t.TempDir(), "pindrift.yml")
	writeConfig(t, cfgFile, a.gh, dbURL, 8080)
	cfg, err := config.LoadServer(cfgFile, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	breakIt(a.gh)
	ctx, cancel := context.WithCancel(t.Context())
	ctx = zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel).WithContext(ctx)
	srv, err := server.New(ctx, cfg, server.Options{StartupRetry: 10 * time.Millisecond,
		Jobs: jobs.Options{Schema: schema, PollInterval: 50 * time.Millisecond}, MetricsListener: listen(t)})
	if err != nil {
		cancel()
		t.Fatalf("server.New: %v", err)
	}
	a.srv = srv
	l := listen(t)
	a.url = "http://" + l.Addr().String()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, l, 5*time.Second) }()
	t.Cleanup(cancel)
	return a, done, cancel
}

// get answers GET url's status, Retry-After and body.
func getProbe(t *testing.T, url string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	return resp.StatusCode, resp.Header.Get("Retry-After"), string(b)
}

// A replica (re)started while GitHub cannot answer listens at once: the
// startup probe (/healthz) answers 200, /readyz and the webhook answer 503
// with Retry-After while it waits for GitHub in the background, and it
// becomes ready as soon as GitHub answers. A stop while waiting is a clean
// stop (Serve returns nil: bot serve exits 0).
func TestStartupWhileGitHubIsDown(t *testing.T) {
	a, done, cancel := startWithGitHub(t, func(gh *ghfake.Server) {
		gh.Fail(ghfake.Failure{Method: http.MethodGet, Path: "/app", Status: http.StatusBadGateway, Times: 1 << 20})
	})
	if code, _, _ := getProbe(t, a.url+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz answered %d while GitHub is down, want 200", code)
	}
	waitFor(t, 10*time.Second, "the App to ask GitHub twice", func() bool { return a.gh.Count(http.MethodGet, "/app") >= 2 })
	code, retry, body := getProbe(t, a.url+"/readyz")
	if code != http.StatusServiceUnavailable || retry == "" || !strings.Contains(body, "GitHub") {
		t.Errorf("/readyz while GitHub is down: %d, Retry-After %q, %q; want 503 with Retry-After saying GitHub", code, retry, body)
	}
	release := a.payload("release.edited.payload.json", nil)
	if code := a.deliver("release", "d-1", release, true); code != http.StatusServiceUnavailable {
		t.Errorf("delivery while GitHub is down answered %d, want 503 (GitHub may redeliver it)", code)
	}

	a.gh.Recover()
	waitReady(t, a.url)
	if code := a.deliver("release", "d-2", release, true); code != http.StatusOK {
		t.Errorf("delivery once ready answered %d, want 200", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve after a stop: %v, want nil", err)
	}
}

func TestStopWhileWaitingForGitHub(t *testing.T) {
	a, done, cancel := startWithGitHub(t, func(gh *ghfake.Server) {
		gh.Fail(ghfake.Failure{Method: http.MethodGet, Path: "/app", Status: http.StatusServiceUnavailable, Times: 1 << 20})
	})
	waitFor(t, 10*time.Second, "the App to ask GitHub", func() bool { return a.gh.Count(http.MethodGet, "/app") >= 1 })
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve stopped while waiting for GitHub: %v, want nil (a clean stop)", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Serve did not return after the stop")
	}
}

// GitHub's answers at start-up: transient failures are waited out, a key
// GitHub rejects ends Serve at once with the reason.
func TestStartupAndGitHub(t *testing.T) {
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		breakIt  func(gh *ghfake.Server)
		wantErr  string // "" means it becomes ready
		wantGets int    // GET /app requests before ready (0: not checked)
	}{
		"GitHub answers": {breakIt: func(*ghfake.Server) {}},
		"two 503s, then GitHub answers": {
			breakIt: func(gh *ghfake.Server) {
				gh.Fail(ghfake.Failure{Method: http.MethodGet, Path: "/app", Status: http.StatusServiceUnavailable, Times: 2})
			},
			wantGets: 3,
		},
		"rate limited, then GitHub answers": {
			breakIt:  func(gh *ghfake.Server) { gh.RetryAfter(http.MethodGet, "/app", 1, time.Second) },
			wantGets: 2,
		},
		"key rejected (401) fails at once": {
			breakIt:  func(gh *ghfake.Server) { gh.SetAppKey(&otherKey.PublicKey) },
			wantErr:  "401",
			wantGets: 1,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			a, done, cancel := startWithGitHub(t, tc.breakIt)
			if tc.wantErr != "" {
				select {
				case err := <-done:
					if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
						t.Fatalf("Serve error = %v, want one containing %q", err, tc.wantErr)
					}
				case <-time.After(20 * time.Second):
					t.Fatal("Serve kept running with rejected credentials")
				}
			} else {
				waitFor(t, 20*time.Second, "ready", func() bool {
					code, _, _ := getProbe(t, a.url+"/readyz")
					return code == http.StatusOK
				})
			}
			if got := a.gh.Count(http.MethodGet, "/app"); tc.wantGets > 0 && got < tc.wantGets {
				t.Errorf("the App asked GitHub for the App %d times, want at least %d", got, tc.wantGets)
			}
			cancel()
			if tc.wantErr == "" {
				if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
					t.Errorf("Serve: %v", err)
				}
			}
		})
	}
}
