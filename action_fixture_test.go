package pindrift_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	kernelBytes = bytes.Repeat([]byte("vmlinux "), 4096)
	rootfsBytes = bytes.Repeat([]byte("rootfs "), 4096)
)

func hexSum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// repoRoot is the action's own checkout, where action.yml and go.mod are:
// the package directory these tests run in.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "action.yml")); err != nil {
		t.Fatalf("action.yml not at the repository root: %v", err)
	}
	return root
}

// sharedTemp is the runner temp directory of the one real build.
var sharedTemp string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pindrift-actiontest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sharedTemp = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var build struct {
	once sync.Once
	out  map[string]string
}

// builtBot runs the action's build step as written, once for the whole
// test binary, and returns its outputs for runContext.reuse.
func builtBot(t *testing.T, a *action, root string) map[string]map[string]string {
	t.Helper()
	build.once.Do(func() {
		only := *a
		only.Runs.Steps = nil
		for _, st := range a.Runs.Steps {
			only.Runs.Steps = append(only.Runs.Steps, st)
			if st.ID == "build" {
				break
			}
		}
		rc := runContext{actionPath: root, workspace: sharedTemp, runnerTemp: sharedTemp, github: githubContext("", "")}
		run := runAction(t, &only, rc, map[string]string{"manifest": "unused.py"})
		if run.failedStep != "" {
			t.Fatalf("step %q failed with exit %d:\n%s", run.failedStep, run.exitCode, run.log)
		}
		bot := run.steps["build"]["bot"]
		if fi, err := os.Stat(bot); err != nil || fi.Mode()&0o111 == 0 {
			t.Fatalf("build step's bot output %q is not an executable (%v)", bot, err)
		}
		build.out = run.steps["build"]
	})
	if build.out == nil {
		t.Fatal("the action's build step failed in an earlier test")
	}
	return map[string]map[string]string{"build": build.out}
}

// githubContext is the github context an action run sees; the token is
// never one a real GitHub would take.
func githubContext(apiURL, serverURL string) map[string]string {
	if apiURL == "" {
		apiURL = "http://127.0.0.1:9/api-v3/" // nothing listens: full mode must not need it
	}
	if serverURL == "" {
		serverURL = "https://github.com"
	}
	return map[string]string{"token": "ghs_actiontest", "api_url": apiURL, "server_url": serverURL}
}

// newRunContext gives a case its own workspace and runner temp directory.
func newRunContext(t *testing.T, a *action) runContext {
	t.Helper()
	root := repoRoot(t)
	return runContext{
		actionPath: root,
		workspace:  t.TempDir(),
		runnerTemp: t.TempDir(),
		github:     githubContext("", ""),
		reuse:      builtBot(t, a, root),
	}
}

// assetServer serves kernelBytes at any path ending in kernel or
// kernel-MACHINE and rootfsBytes at .../rootfs, counting requests by
// (unescaped) path and recording Authorization headers.
type assetServer struct {
	*httptest.Server
	mu    sync.Mutex
	count map[string]int
	auth  []string
}

func newAssetServer(t *testing.T) *assetServer {
	s := &assetServer{count: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.count[r.URL.Path]++
		if a := r.Header.Get("Authorization"); a != "" {
			s.auth = append(s.auth, a)
		}
		s.mu.Unlock()
		switch base := path.Base(r.URL.Path); {
		case base == "kernel" || strings.HasPrefix(base, "kernel-"):
			w.Write(kernelBytes)
		case base == "rootfs":
			w.Write(rootfsBytes)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *assetServer) requests(p string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count[p]
}

func (s *assetServer) authorization() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auth...)
}

// deadURL is an http URL on loopback where nothing listens.
func deadURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// imagesManifest pins BASE/kernel (SHA literal at line 8, column 19) and
// BASE/rootfs (line 12, column 19); MIRROR in the environment replaces BASE.
func imagesManifest(base, kernelSHA, rootfsSHA string) string {
	return fmt.Sprintf(`import os

BASE = os.environ.get("MIRROR", %q)

MANIFEST = {
    "kernel": {
        "url": f"{BASE}/kernel",
        "sha256": %q,
    },
    "rootfs": {
        "url": f"{BASE}/rootfs",
        "sha256": %q,
    },
}
`, base, kernelSHA, rootfsSHA)
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
