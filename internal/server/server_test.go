package server_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/config"
	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/jobs"
	"github.com/pindrift/pindrift/internal/server"
)

const (
	owner, name = "acme", "images"
	manifestPth = "src/images/published.py"
	tag         = "images-2026.06.14.0"
	secret      = "webhook-secret-for-tests"
	instID      = 77
)

var fixtures = filepath.Join("..", "..", "..", "shared", "fixtures", "webhooks")

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

var (
	kernelV1 = bytes.Repeat([]byte("kernel v1 "), 3000)
	kernelV2 = bytes.Repeat([]byte("kernel v2 "), 3000)
	rootfs   = bytes.Repeat([]byte("rootfs "), 4000)
	keyOnce  sync.Once
	keyPEM   string
)

func privateKey(t *testing.T) string {
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		keyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
	})
	return keyPEM
}

// app is the real server on loopback against the fake GitHub.
type app struct {
	t   *testing.T
	gh  *ghfake.Server
	srv *server.Server
	url string
	// metricsURL is the metrics listener's, apart from url's.
	metricsURL string
}

func manifestSource(gh *ghfake.Server, kernelSHA string) string {
	return `BASE = "` + gh.URL() + `/acme/images/releases/download/` + tag + `"
MANIFEST = {
    "codex": {
        "kernel_url": f"{BASE}/vmlinux",
        "kernel_sha256": "` + kernelSHA + `",
        "rootfs_url": f"{BASE}/rootfs.zst",
        "rootfs_sha256": "` + sum(rootfs) + `",
    },
}
`
}

const repoConfig = `manifests:
  - path: src/images/published.py
verify: {mode: full}
`

// databaseURL is SQLite in a temporary folder, or the PostgreSQL of
// PINDRIFT_TEST_DATABASE_URL with a schema of this test's own.
func databaseURL(t *testing.T) (string, string) {
	if u := os.Getenv("PINDRIFT_TEST_DATABASE_URL"); u != "" {
		schema := fmt.Sprintf("pindrift_test_%d", time.Now().UnixNano())
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			conn, err := pgx.Connect(ctx, u)
			if err != nil {
				t.Errorf("drop test schema: %v", err)
				return
			}
			defer conn.Close(ctx)
			if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE"); err != nil {
				t.Errorf("drop test schema: %v", err)
			}
		})
		return u, schema
	}
	return "sqlite://" + filepath.Join(t.TempDir(), "pindrift.db"), ""
}

// newApp starts the server; extraYAML is appended to its configuration.
func newApp(t *testing.T, extraYAML ...string) *app {
	t.Helper()
	if _, err := os.Stat(fixtures); err != nil {
		t.Skipf("the real webhook payloads are not available (%v)", err)
	}
	gh := ghfake.New(t)
	gh.AddInstallation(ghfake.Installation{ID: instID, Account: owner})
	gh.AddRepo(ghfake.Repo{Owner: owner, Name: name, InstallationID: instID})
	gh.AddRelease(owner, name, ghfake.Release{Tag: tag, Assets: []ghfake.Asset{
		{Name: "vmlinux", Content: kernelV1, Uploader: "release-bot"},
		{Name: "rootfs.zst", Content: rootfs, Uploader: "release-bot"},
	}})
	gh.SetFiles(owner, name, "main", map[string]string{
		manifestPth: manifestSource(gh, sum(kernelV1)), ".github/pindrift.yml": repoConfig}, "maintainer")

	for _, k := range []string{"GITHUB_WEB_URL", "GITHUB_V3_API_URL", "GITHUB_V4_API_URL", "GITHUB_APP_INTEGRATION_ID",
		"GITHUB_APP_WEBHOOK_SECRET", "GITHUB_APP_PRIVATE_KEY", "GITHUB_APP_PRIVATE_KEY_FILE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	dbURL, schema := databaseURL(t)
	cfgFile := filepath.Join(t.TempDir(), "pindrift.yml")
	cfgYAML := fmt.Sprintf(`server: {address: 127.0.0.1, port: 8080}
github:
  web_url: %s
  v3_api_url: %s
  app: {integration_id: 42, webhook_secret: %q, private_key: %q}
database: {url: %q}
verify: {concurrency: 2, allow_private_network: true}
`, gh.URL(), gh.APIURL(), secret, privateKey(t), dbURL) + strings.Join(extraYAML, "")
	if err := os.WriteFile(cfgFile, []byte(cfgYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.LoadServer(cfgFile, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ctx = zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel).WithContext(ctx)
	ml := listen(t)
	srv, err := server.New(ctx, cfg, server.Options{Jobs: jobs.Options{Schema: schema,
		PollInterval: 50 * time.Millisecond, LockRetry: 100 * time.Millisecond}, MetricsListener: ml})
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, l, 20*time.Second) }() // generous: the machine may be busy
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	a := &app{t: t, gh: gh, srv: srv, url: "http://" + l.Addr().String(), metricsURL: "http://" + ml.Addr().String()}
	// Deliveries are answered 503 until the App knows its login. Not
	// through /readyz, whose answer is kept for a while.
	select {
	case <-srv.Ready():
	case <-time.After(30 * time.Second):
		t.Fatal("the server was not ready within 30 s")
	}
	return a
}

// payload loads a real GitHub payload and points it at the test's
// repository and installation, as GitHub does for App deliveries.
func (a *app) payload(file string, edit func(map[string]any)) []byte {
	a.t.Helper()
	raw, err := os.ReadFile(filepath.Join(fixtures, file))
	if err != nil {
		a.t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(raw, &p); err != nil {
		a.t.Fatal(err)
	}
	repo := p["repository"].(map[string]any)
	repo["name"], repo["full_name"], repo["default_branch"] = name, owner+"/"+name, "main"
	repo["owner"].(map[string]any)["login"] = owner
	p["installation"] = map[string]any{"id": instID}
	if edit != nil {
		edit(p)
	}
	out, err := json.Marshal(p)
	if err != nil {
		a.t.Fatal(err)
	}
	return out
}

func (a *app) deliver(event, delivery string, body []byte, sign bool) int {
	a.t.Helper()
	req, err := http.NewRequest(http.MethodPost, a.url+"/api/github/hook", bytes.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", delivery)
	if sign {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(body)
		req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// settle waits until the queue has been idle for a moment.
func (a *app) settle() {
	a.t.Helper()
	a.settleWithin(30 * time.Second)
}

// settleWithin is settle for tests that queue more work than usual.
func (a *app) settleWithin(d time.Duration) {
	a.t.Helper()
	deadline := time.Now().Add(d)
	quiet := 0
	for time.Now().Before(deadline) {
		idle, err := a.srv.Idle(context.Background())
		if err != nil {
			a.t.Fatal(err)
		}
		if idle {
			quiet++
			if quiet == 3 {
				return
			}
		} else {
			quiet = 0
		}
		time.Sleep(100 * time.Millisecond)
	}
	a.t.Fatalf("jobs did not finish within %s", d)
}

func (a *app) openIssues() []ghfake.Issue {
	var out []ghfake.Issue
	for _, is := range a.gh.Issues(owner, name) {
		if is.State == "open" {
			out = append(out, is)
		}
	}
	return out
}

func (a *app) openPRs() []ghfake.PullRequest {
	var out []ghfake.PullRequest
	for _, pr := range a.gh.PullRequests(owner, name) {
		if pr.State == "open" {
			out = append(out, pr)
		}
	}
	return out
}

func TestReleaseEditedAfterReupload(t *testing.T) {
	a := newApp(t)
	a.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2, Uploader: "octocat"})
	release := a.payload("release.edited.payload.json", nil)
	if code := a.deliver("release", "d-1", release, true); code != http.StatusOK {
		t.Fatalf("delivery answered %d", code)
	}
	a.settle()
	issues, prs := a.openIssues(), a.openPRs()
	if len(issues) != 1 || len(prs) != 1 {
		t.Fatalf("after the release event: %d issues, %d PRs; want one each", len(issues), len(prs))
	}
	if !strings.Contains(issues[0].Body, sum(kernelV2)) {
		t.Errorf("issue does not name the live digest:\n%s", issues[0].Body)
	}
	comments := len(a.gh.Comments(owner, name, issues[0].Number))

	// GitHub redelivers the same event: nothing changes.
	for i := 0; i < 5; i++ {
		if code := a.deliver("release", "d-1", release, true); code != http.StatusOK {
			t.Fatalf("redelivery answered %d", code)
		}
	}
	a.settle()
	if len(a.openIssues()) != 1 || len(a.openPRs()) != 1 || len(a.gh.Comments(owner, name, issues[0].Number)) != comments {
		t.Errorf("after 5 redeliveries: %d issues, %d PRs, %d comments (was %d)",
			len(a.openIssues()), len(a.openPRs()), len(a.gh.Comments(owner, name, issues[0].Number)), comments)
	}
}

func TestConcurrentDeliveries(t *testing.T) {
	a := newApp(t)
	a.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2})
	release := a.payload("release.edited.payload.json", nil)
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = a.deliver("release", fmt.Sprintf("c-%d", i), release, true)
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Errorf("delivery %d answered %d", i, c)
		}
	}
	a.settle()
	if len(a.gh.Issues(owner, name)) != 1 || len(a.gh.PullRequests(owner, name)) != 1 {
		t.Errorf("20 concurrent deliveries made %d issues and %d PRs", len(a.gh.Issues(owner, name)), len(a.gh.PullRequests(owner, name)))
	}
}

func TestUnsignedDeliveryIsRefused(t *testing.T) {
	a := newApp(t)
	release := a.payload("release.published.payload.json", nil)
	a.gh.Reset()
	if code := a.deliver("release", "u-1", release, false); code != http.StatusUnauthorized {
		t.Errorf("unsigned delivery answered %d, want 401", code)
	}
	a.settle()
	if n := len(a.gh.Requests()); n != 0 {
		t.Errorf("an unsigned delivery caused %d GitHub requests", n)
	}
}

// TestPullRequestAndFixingPush: a PR pinning a wrong SHA fails its check
// with an annotation; a push to the default branch that pins the live
// digest passes its check and closes the issue and the fix PR.
func TestPullRequestAndFixingPush(t *testing.T) {
	a := newApp(t)
	a.gh.UploadAsset(owner, name, tag, ghfake.Asset{Name: "vmlinux", Content: kernelV2})
	a.deliver("release", "p-1", a.payload("release.edited.payload.json", nil), true)
	a.settle()
	if len(a.openIssues()) != 1 || len(a.openPRs()) != 1 {
		t.Fatalf("setup: %d issues, %d PRs", len(a.openIssues()), len(a.openPRs()))
	}

	a.gh.CreateBranch(owner, name, "wrong", "main")
	head := a.gh.SetFile(owner, name, "wrong", manifestPth, manifestSource(a.gh, strings.Repeat("f", 64)), "contributor")
	pr := a.gh.AddPullRequest(owner, name, ghfake.PullRequest{Title: "Pin", Head: "wrong", Base: "main", Author: "contributor"})
	prEvent := a.payload("release.edited.payload.json", func(p map[string]any) {
		delete(p, "release")
		delete(p, "changes")
		p["action"] = "opened"
		p["number"] = pr.Number
		p["pull_request"] = map[string]any{"number": pr.Number, "state": "open",
			"head": map[string]any{"sha": head, "ref": "wrong", "repo": p["repository"]},
			"base": map[string]any{"ref": "main", "repo": p["repository"]}}
	})
	if code := a.deliver("pull_request", "p-2", prEvent, true); code != http.StatusOK {
		t.Fatalf("pull_request delivery answered %d", code)
	}
	a.settle()
	runs := a.gh.CheckRuns(owner, name, head)
	if len(runs) != 1 || runs[0].Conclusion != "failure" || len(runs[0].Output.Annotations) != 1 ||
		runs[0].Output.Annotations[0].StartLine != 5 {
		t.Fatalf("check runs on the PR: %+v", runs)
	}

	fixed := a.gh.SetFile(owner, name, "main", manifestPth, manifestSource(a.gh, sum(kernelV2)), "maintainer")
	push := a.payload("push.payload.json", func(p map[string]any) {
		p["ref"], p["before"], p["after"] = "refs/heads/main", strings.Repeat("1", 40), fixed
		p["deleted"], p["created"], p["forced"] = false, false, false
		p["commits"] = []any{map[string]any{"id": fixed, "distinct": true, "message": "Pin the new kernel",
			"added": []any{}, "removed": []any{}, "modified": []any{manifestPth}}}
		p["head_commit"] = p["commits"].([]any)[0]
		p["size"], p["distinct_size"] = 1, 1
	})
	if code := a.deliver("push", "p-3", push, true); code != http.StatusOK {
		t.Fatalf("push delivery answered %d", code)
	}
	a.settle()
	if runs := a.gh.CheckRuns(owner, name, fixed); len(runs) != 1 || runs[0].Conclusion != "success" {
		t.Errorf("check runs on the fixing push: %+v", runs)
	}
	if len(a.openIssues()) != 0 || len(a.openPRs()) != 1 { // the contributor's PR stays open
		t.Errorf("after the fix: %d open issues, %d open PRs; want the issue and the fix PR closed", len(a.openIssues()), len(a.openPRs()))
	}
}

func TestInvalidRepositoryConfigIsExplained(t *testing.T) {
	a := newApp(t)
	sha := a.gh.SetFile(owner, name, "main", ".github/pindrift.yml", "manifests:\n  - path: /etc/passwd\nverify: {mode: fast}\n", "maintainer")
	push := a.payload("push.payload.json", func(p map[string]any) {
		p["ref"], p["before"], p["after"] = "refs/heads/main", strings.Repeat("1", 40), sha
		p["deleted"], p["created"], p["forced"] = false, false, false
		p["commits"] = []any{map[string]any{"id": sha, "distinct": true, "message": "config",
			"added": []any{}, "removed": []any{}, "modified": []any{".github/pindrift.yml"}}}
		p["size"], p["distinct_size"] = 1, 1
	})
	a.deliver("push", "i-1", push, true)
	a.settle()
	runs := a.gh.CheckRuns(owner, name, sha)
	if len(runs) != 1 || runs[0].Conclusion != "failure" {
		t.Fatalf("check runs on the invalid config: %+v", runs)
	}
	out := runs[0].Output
	if !strings.Contains(out.Summary, "manifests[0].path") || !strings.Contains(out.Summary, "verify.mode") || len(out.Annotations) < 2 {
		t.Errorf("the failure does not say what and where: %+v", out)
	}
	if len(a.gh.Issues(owner, name)) != 0 {
		t.Error("an invalid config opened an issue")
	}
}
