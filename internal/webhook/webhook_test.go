package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/jobs"
	"github.com/pindrift/pindrift/internal/logtest"
	"github.com/pindrift/pindrift/internal/runner"
)

const (
	testSecret       = "It's a Secret to Everybody"
	testAppID        = 901
	testAppLogin     = "pindrift[bot]"
	testInstallation = 4242
)

// fixtures holds the real GitHub payloads, read in place.
var fixtures = filepath.Join("..", "..", "..", "shared", "fixtures", "webhooks")

// fakeQueue records what the handlers enqueue.
type fakeQueue struct {
	err error // returned by every call when set

	mu     sync.Mutex
	verify []runner.VerifyRequest
	pr     []runner.PRRequest
	states map[int64]jobs.InstallationState
}

func (q *fakeQueue) SetInstallation(_ context.Context, id int64, st jobs.InstallationState) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil {
		return q.err
	}
	if q.states == nil {
		q.states = map[int64]jobs.InstallationState{}
	}
	q.states[id] = st
	return nil
}

func (q *fakeQueue) state(id int64) jobs.InstallationState {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.states[id]
}

func (q *fakeQueue) VerifyRepo(_ context.Context, r runner.VerifyRequest) (bool, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil {
		return false, q.err
	}
	q.verify = append(q.verify, r)
	return false, nil
}

func (q *fakeQueue) CheckPR(_ context.Context, r runner.PRRequest) (bool, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil {
		return false, q.err
	}
	q.pr = append(q.pr, r)
	return false, nil
}

func (q *fakeQueue) jobs() ([]runner.VerifyRequest, []runner.PRRequest) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.verify, q.pr
}

type hook struct {
	url  string
	logs *logtest.Buffer
	// transport is the hook's own: httptest.Server.Close closes
	// http.DefaultTransport's idle connections, which breaks requests
	// other parallel tests are starting on it.
	transport *http.Transport
}

// newTransport is a transport of the test's own, closed with it.
func newTransport(t *testing.T) *http.Transport {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// newHook serves the webhook handler on loopback the way the server mounts
// it, with a logger in each request's context as the server's middleware
// puts it there.
func newHook(t *testing.T, q Queue) *hook {
	t.Helper()
	h, err := New(Config{WebhookSecret: testSecret, AppID: testAppID, AppLogin: testAppLogin}, q)
	if err != nil {
		t.Fatal(err)
	}
	logs := &logtest.Buffer{}
	logger := zerolog.New(logs)
	mux := http.NewServeMux()
	mux.Handle(Route, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(logger.WithContext(r.Context())))
	}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &hook{url: srv.URL + Route, logs: logs, transport: newTransport(t)}
}

func sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// post delivers body as event. headers are set after the usual ones, so a
// test can drop ("" value) or replace any of them.
func (h *hook) post(t *testing.T, event string, body []byte, headers map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "GitHub-Hookshot/8f3f4e5")
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")
	req.Header.Set("X-GitHub-Hook-ID", "292430182")
	req.Header.Set("X-GitHub-Hook-Installation-Target-Type", "integration")
	req.Header.Set("X-Hub-Signature-256", sign(testSecret, body))
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := h.transport.RoundTrip(req) // no redirects, no shared client state
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	msg, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(msg)
}

// fixture reads a real payload and adds the installation GitHub adds to
// App deliveries, then applies edit.
func fixture(t *testing.T, name string, edit func(p map[string]any)) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(fixtures, name+".payload.json"))
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("fixture %s not found in %s (the shared fixtures are not checked out here)", name, fixtures)
	}
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	p["installation"] = map[string]any{"id": testInstallation, "node_id": "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg=="}
	if edit != nil {
		edit(p)
	}
	return encode(t, p)
}

func encode(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// deliveryCase is one delivery and what it must lead to.
type deliveryCase struct {
	event      string
	body       []byte
	wantStatus int // 200 when 0
	wantVerify []runner.VerifyRequest
	wantPR     []runner.PRRequest
}

const testDelivery = "72d3162e-cc78-11e3-81ab-4c9367dc0958"

func runDeliveries(t *testing.T, cases map[string]deliveryCase) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			q := &fakeQueue{}
			h := newHook(t, q)
			status, msg := h.post(t, tc.event, tc.body, nil)
			want := tc.wantStatus
			if want == 0 {
				want = http.StatusOK
			}
			if status != want {
				t.Errorf("status %d (%q), want %d; logs:\n%s", status, msg, want, h.logs)
			}
			verify, pr := q.jobs()
			if diff := cmp.Diff(tc.wantVerify, verify); diff != "" {
				t.Errorf("verify jobs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantPR, pr); diff != "" {
				t.Errorf("pull request jobs (-want +got):\n%s", diff)
			}
		})
	}
}

// Minimal payload pieces, shaped like GitHub's.

func repoPayload(owner, name string, id int64) map[string]any {
	return map[string]any{
		"id": id, "node_id": "R_kgDOH" + fmt.Sprint(id), "name": name, "full_name": owner + "/" + name,
		"private": false, "fork": false, "default_branch": "main",
		"html_url": "https://github.com/" + owner + "/" + name,
		"owner":    userPayload(owner, "Organization"),
	}
}

func userPayload(login, typ string) map[string]any {
	return map[string]any{"login": login, "id": len(login) * 1000, "node_id": "U_" + login, "type": typ, "site_admin": false}
}

func installationPayload() map[string]any {
	return map[string]any{"id": testInstallation, "node_id": "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg=="}
}

func TestNewRefusesIncompleteConfig(t *testing.T) {
	t.Parallel()
	full := Config{WebhookSecret: testSecret, AppID: testAppID, AppLogin: testAppLogin}
	for name, edit := range map[string]func(*Config){
		"no secret": func(c *Config) { c.WebhookSecret = "" },
		"no app id": func(c *Config) { c.AppID = 0 },
		"no login":  func(c *Config) { c.AppLogin = "" },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := full
			edit(&c)
			if _, err := New(c, &fakeQueue{}); err == nil {
				t.Error("New accepted an incomplete config")
			}
		})
	}
	if _, err := New(full, nil); err == nil {
		t.Error("New accepted a nil queue")
	}
}

func TestSignatureAndProtocol(t *testing.T) {
	t.Parallel()
	release := func(t *testing.T) []byte { return fixture(t, "release.published", nil) }
	cases := map[string]struct {
		event      string
		body       func(t *testing.T) []byte
		headers    map[string]string
		method     string
		wantStatus int
		wantJobs   int
	}{
		"signed release": {event: "release", body: release, wantStatus: 200, wantJobs: 1},
		"unsigned":       {event: "release", body: release, headers: map[string]string{"X-Hub-Signature-256": ""}, wantStatus: 401},
		"signed with another secret": {event: "release", body: release,
			headers: map[string]string{"X-Hub-Signature-256": sign("not the secret", []byte("{}"))}, wantStatus: 401},
		"signature of another body": {event: "release", body: release,
			headers: map[string]string{"X-Hub-Signature-256": sign(testSecret, []byte(`{"action":"published"}`))}, wantStatus: 401},
		"garbled signature": {event: "release", body: release, headers: map[string]string{"X-Hub-Signature-256": "sha256=zz"}, wantStatus: 401},
		"unsigned without event": {event: "release", body: release,
			headers: map[string]string{"X-Hub-Signature-256": "", "X-GitHub-Event": ""}, wantStatus: 401},
		"unsigned form": {event: "release", body: release,
			headers: map[string]string{"X-Hub-Signature-256": "", "Content-Type": "text/plain"}, wantStatus: 401},
		"signed without event": {event: "release", body: release, headers: map[string]string{"X-GitHub-Event": ""}, wantStatus: 400},
		"signed, unreadable":   {event: "release", body: func(*testing.T) []byte { return []byte(`{"action":`) }, wantStatus: 202},
		"ping":                 {event: "ping", body: func(t *testing.T) []byte { return fixture(t, "ping", nil) }, wantStatus: 200},
		"unsigned ping": {event: "ping", body: func(t *testing.T) []byte { return fixture(t, "ping", nil) },
			headers: map[string]string{"X-Hub-Signature-256": ""}, wantStatus: 401},
		"unhandled event": {event: "star", body: func(t *testing.T) []byte {
			return encode(t, map[string]any{"action": "created", "repository": repoPayload("acme", "microvm", 1), "installation": installationPayload()})
		}, wantStatus: 202},
		"GET": {method: http.MethodGet, event: "release", body: release, wantStatus: 405},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			q := &fakeQueue{}
			h := newHook(t, q)
			var status int
			if tc.method != "" && tc.method != http.MethodPost {
				req, err := http.NewRequestWithContext(t.Context(), tc.method, h.url, nil)
				if err != nil {
					t.Fatal(err)
				}
				res, err := h.transport.RoundTrip(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				status = res.StatusCode
			} else {
				status, _ = h.post(t, tc.event, tc.body(t), tc.headers)
			}
			if status != tc.wantStatus {
				t.Errorf("status %d, want %d; logs:\n%s", status, tc.wantStatus, h.logs)
			}
			verify, pr := q.jobs()
			if got := len(verify) + len(pr); got != tc.wantJobs {
				t.Errorf("%d jobs enqueued, want %d: %+v %+v", got, tc.wantJobs, verify, pr)
			}
		})
	}
}

func TestOversizedDeliveryIsRefused(t *testing.T) {
	t.Parallel()
	q := &fakeQueue{}
	h := newHook(t, q)
	body := append([]byte(`{"action":"published","padding":"`), bytes.Repeat([]byte("a"), MaxPayloadBytes)...)
	body = append(body, `"}`...)
	if status, _ := h.post(t, "release", body, nil); status != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", status)
	}
	if v, p := q.jobs(); len(v)+len(p) != 0 {
		t.Errorf("jobs enqueued: %+v %+v", v, p)
	}
}

func TestQueueErrorAsksForRedelivery(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]func(t *testing.T) []byte{
		"release": func(t *testing.T) []byte { return fixture(t, "release.edited", nil) },
		"pull_request": func(t *testing.T) []byte {
			return encode(t, pullRequestPayload("synchronize", "acme", "microvm"))
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			q := &fakeQueue{err: errors.New("database is locked")}
			h := newHook(t, q)
			status, _ := h.post(t, name, body(t), nil)
			if status < 500 {
				t.Errorf("status %d, want 5xx so that GitHub redelivers", status)
			}
			if !strings.Contains(h.logs.String(), "database is locked") {
				t.Errorf("the queue's error is not logged:\n%s", h.logs)
			}
		})
	}
}

func TestDeliveryWithoutInstallationIsIgnored(t *testing.T) {
	t.Parallel()
	// Each would enqueue a job with its installation (see the event's test).
	payloads := map[string]map[string]any{
		"release":                   decodeMap(t, fixture(t, "release.published", nil)),
		"push":                      decodeMap(t, fixture(t, "push", pushToMaster(commit(1, nil, []string{"README.md"}, nil)))),
		"pull_request":              pullRequestPayload("opened", "acme", "microvm"),
		"check_run":                 checkRunPayload("rerequested", "pindrift", testAppID, ""),
		"installation":              installationEventPayload("created", installationRepos("microvm")),
		"installation_repositories": installationReposPayload("added", installationRepos("microvm"), []any{}),
		"issue_comment":             issueCommentPayload(nil),
	}
	for event, p := range payloads {
		t.Run(event, func(t *testing.T) {
			t.Parallel()
			delete(p, "installation")
			q := &fakeQueue{}
			h := newHook(t, q)
			if status, _ := h.post(t, event, encode(t, p), nil); status != http.StatusOK {
				t.Errorf("status %d, want 200: a repository webhook's delivery is not an error", status)
			}
			if v, pr := q.jobs(); len(v)+len(pr) != 0 {
				t.Errorf("jobs enqueued: %+v %+v", v, pr)
			}
			if !strings.Contains(h.logs.String(), "not an App delivery") {
				t.Errorf("no log line says why the delivery was ignored:\n%s", h.logs)
			}
		})
	}
}

func decodeMap(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestLogsCarryDeliveryInstallationAndRepository(t *testing.T) {
	t.Parallel()
	h := newHook(t, &fakeQueue{})
	if status, _ := h.post(t, "release", fixture(t, "release.edited", nil), nil); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	var line map[string]any
	for l := range strings.Lines(h.logs.String()) {
		if strings.Contains(l, "verify enqueued") {
			if err := json.Unmarshal([]byte(l), &line); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := map[string]any{
		"github_delivery_id": testDelivery, "github_event_type": "release",
		"github_installation_id":  float64(testInstallation),
		"github_repository_owner": "Codertocat", "github_repository_name": "Hello-World",
		"trigger": "release 0.0.1 edited",
	}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("log field %s = %v, want %v; logs:\n%s", k, line[k], v, h.logs)
		}
	}
}
