package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// stallOnce serves kernelV1, except that its first download sends a
// little and then stalls until the client goes away.
type stallOnce struct {
	mu    sync.Mutex
	times []time.Time
}

func (s *stallOnce) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.times = append(s.times, time.Now())
	n := len(s.times)
	s.mu.Unlock()
	if n > 1 {
		w.Write(kernelV1)
		return
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(kernelV1)))
	w.Write(kernelV1[:1024])
	w.(http.Flusher).Flush()
	<-r.Context().Done()
}

func (s *stallOnce) requests() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.times...)
}

// TestJobKilledMidDownloadRunsAgain: the server is SIGKILLed while its job
// downloads an asset; a new process on the same database runs the job
// again within 2 minutes (River's rescuer, once the dead process's
// heartbeat stops, then the repository lease's expiry).
func TestJobKilledMidDownloadRunsAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the bot binary, waits for a lease to expire")
	}
	a := newAppGitHubOnly(t)
	stall := &stallOnce{}
	assets := httptest.NewServer(stall)
	t.Cleanup(assets.Close)
	a.gh.SetFiles(owner, name, "main", map[string]string{
		manifestPth: `MANIFEST = {
    "codex": {
        "kernel_url": "` + assets.URL + `/vmlinux",
        "kernel_sha256": "` + sum(kernelV1) + `",
    },
}
`, ".github/pindrift.yml": repoConfig}, "maintainer")

	bin := buildBot(t)
	port := freePort(t)
	dbPath := filepath.Join(t.TempDir(), "pindrift.db")
	cfg := filepath.Join(t.TempDir(), "pindrift.yml")
	writeConfig(t, cfg, a.gh, "sqlite://"+dbPath, port)
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, "jobs: {rescue_after: 3s}")
	f.Close()
	a.url = fmt.Sprintf("http://127.0.0.1:%d", port)

	start := func() *exec.Cmd {
		cmd := startBot(t, bin, cfg)
		waitHealthy(t, a.url)
		return cmd
	}
	first := start()
	if code := a.deliver("release", "k-1", a.payload("release.edited.payload.json", nil), true); code != http.StatusOK {
		t.Fatalf("delivery answered %d", code)
	}
	waitFor(t, 30*time.Second, "the download to start", func() bool { return len(stall.requests()) == 1 })
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	killed := time.Now()

	start()
	waitFor(t, 2*time.Minute, "the killed job to download again", func() bool { return len(stall.requests()) >= 2 })
	again := stall.requests()[1].Sub(killed)
	t.Logf("the job downloaded again %s after the kill", again.Round(time.Second))
	waitFor(t, 30*time.Second, "the job to finish", func() bool {
		return jobState(t, dbPath) == "completed"
	})
	if n := len(a.gh.Issues(owner, name)); n != 0 {
		t.Errorf("%d issues for a pin that matches", n)
	}
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var attempt int
	var errs string
	if err := db.QueryRow(`SELECT attempt, CAST(errors AS TEXT) FROM river_job WHERE kind = 'pindrift.verify_repo'`).
		Scan(&attempt, &errs); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errs, "Stuck job rescued") {
		t.Errorf("the job's errors %q do not record the rescue", errs)
	}
	t.Logf("attempt %d; errors %s", attempt, errs)
}

func jobState(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var state string
	if err := db.QueryRowContext(ctx, `SELECT state FROM river_job WHERE kind = 'pindrift.verify_repo'`).Scan(&state); err != nil {
		return ""
	}
	return state
}
