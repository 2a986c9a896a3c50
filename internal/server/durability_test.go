package server_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/jobs"
)

// TestAcknowledgedJobsSurviveSIGKILL: the server acknowledges a delivery,
// its job is postponed (GitHub answers the first call with a rate limit),
// the process is killed with SIGKILL, and a new process on the same
// database does the job.
func TestAcknowledgedJobsSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the bot binary")
	}
	a := newAppGitHubOnly(t)
	a.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2})

	bin := buildBot(t)
	port := freePort(t)
	db := "sqlite://" + filepath.Join(t.TempDir(), "pindrift.db")
	cfg := filepath.Join(t.TempDir(), "pindrift.yml")
	writeConfig(t, cfg, a.gh, db, port)
	a.url = fmt.Sprintf("http://127.0.0.1:%d", port)

	start := func() *exec.Cmd {
		cmd := startBot(t, bin, cfg)
		waitHealthy(t, a.url)
		return cmd
	}

	first := start()
	// The job's first GitHub call is rate-limited for a few seconds: the
	// job is acknowledged and stored, postponed until the reset.
	a.gh.RateLimit("GET", "repos/{owner}/{repo}", 1, time.Now().Add(4*time.Second))
	if code := a.deliver("release", "k-1", a.payload("release.edited.payload.json", nil), true); code != http.StatusOK {
		t.Fatalf("delivery answered %d", code)
	}
	waitFor(t, 10*time.Second, "the job to meet the rate limit", func() bool { return a.gh.PendingFailures() == 0 })
	// River records the postponement asynchronously; kill only once it is
	// in the database, so the job is stored as waiting, not as running.
	waitFor(t, 10*time.Second, "the postponed job to be stored", func() bool {
		ctx := context.Background()
		j, err := jobs.Open(ctx, db, jobs.Options{})
		if err != nil {
			return false
		}
		defer j.Close()
		st, err := j.Stats(ctx)
		return err == nil && st["running"] == 0 && st["scheduled"]+st["available"] == 1
	})
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	if n := len(a.gh.Issues(owner, name)); n != 0 {
		t.Fatalf("the job ran before the kill (%d issues); the test proves nothing", n)
	}

	start()
	waitFor(t, 30*time.Second, "the tracking issue and fix PR after the restart", func() bool {
		return len(a.gh.Issues(owner, name)) == 1 && len(a.gh.PullRequests(owner, name)) == 1
	})
}

// newAppGitHubOnly prepares the fake GitHub of newApp without starting an
// in-process server.
func newAppGitHubOnly(t *testing.T) *app {
	t.Helper()
	if _, err := os.Stat(fixtures); err != nil {
		t.Skipf("the real webhook payloads are not available (%v)", err)
	}
	gh := ghfake.New(t)
	gh.AddInstallation(ghfake.Installation{ID: instID, Account: owner})
	gh.AddRepo(ghfake.Repo{Owner: owner, Name: name, InstallationID: instID})
	gh.AddRelease(owner, name, ghfake.Release{Tag: tag, Assets: []ghfake.Asset{
		{Name: "vmlinux", Content: kernelV1}, {Name: "rootfs.zst", Content: rootfs}}})
	gh.SetFiles(owner, name, "main", map[string]string{
		manifestPth: manifestSource(gh, sum(kernelV1)), ".github/pindrift.yml": repoConfig}, "maintainer")
	return &app{t: t, gh: gh}
}

func writeConfig(t *testing.T, path string, gh *ghfake.Server, db string, port int) {
	t.Helper()
	// /metrics gets a port of its own too: the default, 9464, may be
	// taken by another test's server on this machine.
	yaml := fmt.Sprintf(`server: {address: 127.0.0.1, port: %d}
metrics: {address: 127.0.0.1, port: %d}
github:
  web_url: %s
  v3_api_url: %s
  app: {integration_id: 42, webhook_secret: %q, private_key: %q}
database: {url: %q}
verify: {concurrency: 2, allow_private_network: true}
`, port, freePort(t), gh.URL(), gh.APIURL(), secret, privateKey(t), db)
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
}

// cleanEnv is the process environment without GitHub or pindrift
// settings that would override the test's configuration file.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if len(kv) > 7 && (kv[:7] == "GITHUB_" || (len(kv) > 9 && kv[:9] == "PINDRIFT_")) {
			continue
		}
		out = append(out, kv)
	}
	return out
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitHealthy waits until the server answers /healthz and is ready to
// take deliveries (/readyz), which it is only once GitHub told the App
// its login.
func waitHealthy(t *testing.T, url string) {
	t.Helper()
	waitFor(t, 20*time.Second, "the server to answer /healthz", func() bool { return status(url+"/healthz") == http.StatusOK })
	waitReady(t, url)
}

func waitReady(t *testing.T, url string) {
	t.Helper()
	waitFor(t, 20*time.Second, "the server to answer /readyz", func() bool { return status(url+"/readyz") == http.StatusOK })
}

// status is the status of GET url, 0 when there is no answer.
func status(url string) int {
	resp, err := http.Get(url)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// testLog sends a subprocess's output to the test log.
type testLog struct{ t *testing.T }

func (l *testLog) Write(p []byte) (int, error) {
	l.t.Logf("bot: %s", p)
	return len(p), nil
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// metricValue reads one sample from Prometheus text output, 0 if absent.
func metricValue(text, series string) float64 {
	for _, line := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(line, series+" "); ok {
			var v float64
			fmt.Sscan(rest, &v)
			return v
		}
	}
	return 0
}

// TestSIGTERMWhileWaitingForGitHub: bot serve started while GitHub fails
// GET /app answers the startup probe at once, is not ready, and exits 0
// on SIGTERM (a clean stop, not a failure for the orchestrator).
func TestSIGTERMWhileWaitingForGitHub(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the bot binary")
	}
	a := newAppGitHubOnly(t)
	a.gh.Fail(ghfake.Failure{Method: http.MethodGet, Path: "/app", Status: http.StatusBadGateway, Times: 1 << 20})
	bin := buildBot(t)
	port := freePort(t)
	cfg := filepath.Join(t.TempDir(), "pindrift.yml")
	writeConfig(t, cfg, a.gh, "sqlite://"+filepath.Join(t.TempDir(), "pindrift.db"), port)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	cmd := startBot(t, bin, cfg)
	waitFor(t, 20*time.Second, "the startup probe to answer", func() bool { return status(url+"/healthz") == http.StatusOK })
	waitFor(t, 20*time.Second, "bot serve to ask GitHub for the App", func() bool { return a.gh.Count(http.MethodGet, "/app") > 0 })
	if code := status(url + "/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz answered %d while GitHub is down, want 503", code)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Errorf("bot serve after SIGTERM while waiting for GitHub: %v, want exit 0", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("bot serve did not exit after SIGTERM")
	}
}

var builtBot struct {
	once sync.Once
	dir  string
	err  error
	out  []byte
}

// buildBot builds cmd/bot once for the tests that run it as a process;
// TestMain removes it when the package's tests end.
func buildBot(t *testing.T) string {
	t.Helper()
	builtBot.once.Do(func() {
		builtBot.dir, builtBot.err = os.MkdirTemp("", "pindrift-bot-")
		if builtBot.err == nil {
			builtBot.out, builtBot.err = exec.Command("go", "build", "-o", filepath.Join(builtBot.dir, "bot"),
				"github.com/pindrift/pindrift/cmd/bot").CombinedOutput()
		}
	})
	if builtBot.err != nil {
		t.Fatalf("go build: %v\n%s", builtBot.err, builtBot.out)
	}
	return filepath.Join(builtBot.dir, "bot")
}

// startBot starts bin serve --config cfg with a clean environment, its
// log in the test's, killed when the test ends.
func startBot(t *testing.T, bin, cfg string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--config", cfg)
	cmd.Env = cleanEnv()
	cmd.Stderr = &testLog{t: t}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd
}
