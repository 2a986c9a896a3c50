package server_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/config"
	"github.com/pindrift/pindrift/internal/githubtest"
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
	a.gh.UploadAsset(owner, name, tag, githubtest.Asset{Name: "vmlinux", Content: kernelV2})
	a.deliver("release", "m-1", a.payload("release.edited.payload.json", nil), true)
	a.deliver("release", "m-2", a.payload("release.edited.payload.json", nil), false)
	a.settle()
	_, metrics := get(t, a.url+"/metrics")
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
		srv, err := server.New(ctx, cfg, server.Options{Jobs: jobs.Options{Schema: schema, SweepSchedule: "@every 1s",
			PollInterval: 50 * time.Millisecond, LockRetry: 100 * time.Millisecond}})
		if err != nil {
			t.Fatal(err)
		}
		l := listen(t)
		urls = append(urls, "http://"+l.Addr().String())
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
	start := time.Now()
	time.Sleep(4500 * time.Millisecond)
	elapsed := time.Since(start)
	sweeps := 0.0
	for _, u := range urls {
		_, m := get(t, u+"/metrics")
		sweeps += metricValue(m, `pindrift_jobs_total{kind="pindrift.sweep",result="ok"}`)
	}
	ticks := elapsed.Seconds()
	t.Logf("%v sweeps in %.1f s between two replicas", sweeps, ticks)
	if sweeps < 1 || sweeps > ticks+1 {
		t.Errorf("%v sweeps in %.1f s of 1 s ticks between two replicas; want one per tick", sweeps, ticks)
	}
	if n := len(a.gh.Issues(owner, name)); n > 1 {
		t.Errorf("%d tracking issues", n)
	}
}
