package server_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/config"
	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/jobs"
	"github.com/pindrift/pindrift/internal/server"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	a := newApp(t)
	if code, _ := get(t, a.url+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz answered %d", code)
	}
	if code, body := get(t, a.url+"/readyz"); code != http.StatusOK {
		t.Errorf("/readyz answered %d: %s", code, body)
	}
	a.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2})
	a.deliver("release", "m-1", a.payload("release.edited.payload.json", nil), true)
	a.deliver("release", "m-2", a.payload("release.edited.payload.json", nil), false)
	a.settle()
	// The public port does not serve /metrics: its labels name private
	// repositories.
	if code, body := get(t, a.url+"/metrics"); code != http.StatusNotFound || strings.Contains(body, "acme/images") {
		t.Errorf("the webhook port answered /metrics with %d", code)
	}
	_, metrics := get(t, a.metricsURL+"/metrics")
	for _, want := range []string{
		`pindrift_webhook_deliveries_total{event="release",outcome="handled"} 1`,
		`pindrift_webhook_deliveries_total{event="unknown",outcome="rejected"} 1`,
		`pindrift_jobs_total{kind="pindrift.verify_repo",result="ok"} 1`,
		`pindrift_verification_outcomes_total{status="drift"} 1`,
		`pindrift_drift_open{repository="acme/images"} 1`,
		`pindrift_github_api_calls_total{method="POST",status="2xx"}`,
		`pindrift_verified_bytes_total`,
		`pindrift_github_rate_limit_remaining`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestReadinessAndGitHub: /readyz refuses deliveries only when this
// replica cannot do the work (the database is gone, or GitHub rejects the
// App's credentials); GitHub being down or rate limiting is reported in the
// body but keeps the replica ready, because GitHub does not redeliver a
// webhook an unready replica refused, while a stored delivery's job retries.
func TestReadinessAndGitHub(t *testing.T) {
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		breakIt  func(t *testing.T, a *app)
		wantCode int
		wantBody []string
		// wantMetric is a /metrics line the check must have counted.
		wantMetric string
	}{
		"GitHub answers 502": {
			breakIt:    func(_ *testing.T, a *app) { a.gh.FailStatus(http.MethodGet, "/app", 1, http.StatusBadGateway) },
			wantCode:   http.StatusOK,
			wantBody:   []string{"ready; GitHub API unreachable: ", "502"},
			wantMetric: `pindrift_github_api_calls_total{method="GET",status="5xx"} 1`,
		},
		"GitHub answers 503": {
			breakIt:  func(_ *testing.T, a *app) { a.gh.FailStatus(http.MethodGet, "/app", 1, http.StatusServiceUnavailable) },
			wantCode: http.StatusOK,
			wantBody: []string{"ready; GitHub API unreachable: ", "503"},
		},
		"primary rate limit (403, remaining 0)": {
			breakIt: func(_ *testing.T, a *app) {
				a.gh.RateLimit(http.MethodGet, "/app", 1, time.Now().Add(time.Hour))
			},
			wantCode:   http.StatusOK,
			wantBody:   []string{"ready; GitHub API unreachable: ", "rate limit"},
			wantMetric: `pindrift_github_rate_limit_remaining 0`,
		},
		"secondary rate limit (429, Retry-After)": {
			breakIt:  func(_ *testing.T, a *app) { a.gh.RetryAfter(http.MethodGet, "/app", 1, time.Minute) },
			wantCode: http.StatusOK,
			wantBody: []string{"ready; GitHub API unreachable: ", "secondary rate limit"},
		},
		"key no longer accepted (401)": {
			// The App's key was rotated on GitHub: the fake now checks
			// the JWT's signature against another key.
			breakIt:    func(_ *testing.T, a *app) { a.gh.SetAppKey(&otherKey.PublicKey) },
			wantCode:   http.StatusServiceUnavailable,
			wantBody:   []string{"GitHub App credentials: ", "401"},
			wantMetric: `pindrift_github_api_calls_total{method="GET",status="4xx"} 1`,
		},
		"App not found (404: wrong App id)": {
			breakIt: func(_ *testing.T, a *app) {
				a.gh.Fail(ghfake.Failure{Method: http.MethodGet, Path: "/app", Status: http.StatusNotFound})
			},
			wantCode: http.StatusServiceUnavailable,
			wantBody: []string{"GitHub App credentials: ", "404"},
		},
		"forbidden without a rate limit (403)": {
			breakIt: func(_ *testing.T, a *app) {
				a.gh.Fail(ghfake.Failure{Method: http.MethodGet, Path: "/app", Status: http.StatusForbidden})
			},
			wantCode: http.StatusServiceUnavailable,
			wantBody: []string{"GitHub App credentials: ", "403"},
		},
		"database closed": {
			breakIt: func(t *testing.T, a *app) {
				if err := a.srv.CloseDatabase(); err != nil {
					t.Fatal(err)
				}
			},
			wantCode: http.StatusServiceUnavailable,
			wantBody: []string{"database: "},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			a := newApp(t)
			// Serve has started the job queue once it answers.
			if code, body := get(t, a.url+"/healthz"); code != http.StatusOK {
				t.Fatalf("/healthz answered %d: %s", code, body)
			}
			tc.breakIt(t, a)
			before := a.gh.Count(http.MethodGet, "/app")
			code, body := get(t, a.url+"/readyz")
			if code != tc.wantCode {
				t.Errorf("/readyz answered %d, want %d: %s", code, tc.wantCode, body)
			}
			for _, want := range tc.wantBody {
				if !strings.Contains(body, want) {
					t.Errorf("/readyz body %q lacks %q", body, want)
				}
			}
			if n := a.gh.PendingFailures(); n != 0 {
				t.Errorf("%d injected failures were not consumed: /readyz did not ask GitHub", n)
			}
			// The answer is kept for the TTL: a probe every few seconds
			// does not become a GET /app every few seconds.
			code2, body2 := get(t, a.url+"/readyz")
			if code2 != code || body2 != body {
				t.Errorf("second /readyz within the TTL answered %d %q, first %d %q", code2, body2, code, body)
			}
			if got := a.gh.Count(http.MethodGet, "/app") - before; got > 1 {
				t.Errorf("two /readyz within the TTL asked GET /app %d times, want at most once", got)
			}
			if tc.wantMetric != "" {
				if _, m := get(t, a.metricsURL+"/metrics"); !strings.Contains(m, tc.wantMetric) {
					t.Errorf("/metrics lacks %s", tc.wantMetric)
				}
			}
		})
	}
}

// TestTwoReplicasShareTheSweep: two servers on one PostgreSQL database run
// each sweep tick once between them.
func TestTwoReplicasShareTheSweep(t *testing.T) {
	if os.Getenv("PINDRIFT_TEST_DATABASE_URL") == "" {
		t.Skip("needs PINDRIFT_TEST_DATABASE_URL: two replicas share a PostgreSQL database")
	}
	a := newAppGitHubOnly(t)
	dbURL, schema := databaseURL(t)
	cfgFile := t.TempDir() + "/pindrift.yml"
	writeConfig(t, cfgFile, a.gh, dbURL, 8080)
	cfg, err := config.LoadServer(cfgFile, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ctx = zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel).WithContext(ctx)
	done := make(chan error, 2)
	var urls []string
	for i := 0; i < 2; i++ {
		ml := listen(t)
		srv, err := server.New(ctx, cfg, server.Options{Jobs: jobs.Options{Schema: schema, SweepSchedule: "@every 1s", SweepSpread: -1,
			PollInterval: 50 * time.Millisecond, LockRetry: 100 * time.Millisecond}, MetricsListener: ml})
		if err != nil {
			t.Fatal(err)
		}
		l := listen(t)
		urls = append(urls, "http://"+ml.Addr().String())
		go func() { done <- srv.Serve(ctx, l, 5*time.Second) }()
	}
	t.Cleanup(func() {
		cancel()
		for i := 0; i < 2; i++ {
			if err := <-done; err != nil {
				t.Errorf("Serve: %v", err)
			}
		}
	})
	sweeps := func() float64 {
		n := 0.0
		for _, u := range urls {
			_, m := get(t, u+"/metrics")
			n += metricValue(m, `pindrift_jobs_total{kind="pindrift.sweep",result="ok"}`)
		}
		return n
	}
	// Leadership, and with it the sweep's schedule, takes a moment to
	// settle on a loaded machine: count from the first sweep, over 4 s of
	// 1 s ticks. Both replicas sweeping every tick would make about 8.
	deadline := time.Now().Add(30 * time.Second)
	first := sweeps()
	for first < 1 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		first = sweeps()
	}
	if first < 1 {
		t.Fatal("no sweep in 30 s between two replicas")
	}
	start := time.Now()
	time.Sleep(4 * time.Second)
	window := sweeps() - first
	ticks := time.Since(start).Seconds()
	t.Logf("%v sweeps in %.1f s between two replicas", window, ticks)
	if window < 1 || window > ticks+1 {
		t.Errorf("%v sweeps in %.1f s of 1 s ticks between two replicas; want one per tick", window, ticks)
	}
	if n := len(a.gh.Issues(owner, name)); n > 1 {
		t.Errorf("%d tracking issues", n)
	}
}
