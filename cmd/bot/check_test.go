package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/report"
	"github.com/pindrift/pindrift/internal/verify"
)

func hexSum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

type entry struct{ url, sha string }

// writeManifest writes a dict-of-dicts manifest; entry i's SHA literal is
// on line 4+4i, column 19.
func writeManifest(t *testing.T, entries ...entry) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("MANIFEST = {\n")
	for i, e := range entries {
		fmt.Fprintf(&b, "    \"a%d\": {\n        \"url\": %q,\n        \"sha256\": %q,\n    },\n", i, e.url, e.sha)
	}
	b.WriteString("}\n")
	path := filepath.Join(t.TempDir(), "images.py")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runBot runs the CLI in-process, as main does, and returns its exit code
// and output.
func runBot(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// assetServer serves a few named assets and misbehaviours, counting
// requests per path and recording any Authorization header.
type assetServer struct {
	*httptest.Server
	mu    sync.Mutex
	count map[string]int
	auth  []string
}

var (
	kernelBytes = bytes.Repeat([]byte("vmlinux "), 4096)
	rootfsBytes = bytes.Repeat([]byte("rootfs "), 4096)
	initrdBytes = bytes.Repeat([]byte("initrd "), 4096)
)

func newAssetServer(t *testing.T) *assetServer {
	s := &assetServer{count: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.count[r.URL.Path]++
		n := s.count[r.URL.Path]
		if a := r.Header.Get("Authorization"); a != "" {
			s.auth = append(s.auth, a)
		}
		s.mu.Unlock()
		switch path.Base(r.URL.Path) {
		case "kernel":
			w.Write(kernelBytes)
		case "rootfs":
			w.Write(rootfsBytes)
		case "initrd":
			w.Write(initrdBytes)
		case "flaky":
			if n == 1 {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			w.Write(kernelBytes)
		case "html":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html>login</html>"))
		case "slow":
			// 1 MiB/s of a 256 MiB asset, until the client gives up.
			w.Header().Set("Content-Length", fmt.Sprint(256<<20))
			chunk := make([]byte, 64<<10)
			for sent := 0; sent < 256<<20; sent += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-time.After(time.Second / 16):
				case <-r.Context().Done():
					return
				}
			}
		case "truncated":
			w.Header().Set("Content-Length", fmt.Sprint(len(kernelBytes)))
			w.Write(kernelBytes[:100])
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *assetServer) requests(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count[path]
}

// checkEnv clears the CI environment so results do not depend on where
// the tests run.
func checkEnv(t *testing.T) {
	for _, k := range []string{"GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_TOKEN", "GH_TOKEN", "GITHUB_API_URL", "GITHUB_SERVER_URL"} {
		t.Setenv(k, "")
	}
}

func TestCheckExitCodes(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	k, r := hexSum(kernelBytes), hexSum(rootfsBytes)
	tests := map[string]struct {
		entries []entry
		extra   []string
		want    int
		wantOut []string
	}{
		"all ok": {entries: []entry{{srv.URL + "/kernel", k}, {srv.URL + "/rootfs", r}}, want: exitOK,
			wantOut: []string{"OK: every pin matches", "2 ok, 0 drift"}},
		"one drift among many": {entries: []entry{{srv.URL + "/kernel", k}, {srv.URL + "/rootfs", k}, {srv.URL + "/flaky", k}},
			want: exitDrift, wantOut: []string{"DRIFT " + srv.URL + "/rootfs", "expected " + k, "got      " + r, "images.py:8", "2 ok, 1 drift"}},
		"404 is missing": {entries: []entry{{srv.URL + "/nope", k}}, want: exitPartial,
			wantOut: []string{"MISSING", "404", "MISSING: 1 pinned asset no longer exists (upload the file again, or change the pin) — 1 URL:"}},
		"too slow": {entries: []entry{{srv.URL + "/slow", k}}, extra: []string{"--min-bytes-per-second", "8388608", "--slow-grace", "300ms"},
			want: exitPartial, wantOut: []string{"UNREACHABLE", "too slow: ", "below the minimum 8192 KiB/s"}},
		"negative minimum":       {entries: []entry{{srv.URL + "/kernel", k}}, extra: []string{"--min-bytes-per-second", "-1"}, want: exitBadInput},
		"502 then 200 is ok":     {entries: []entry{{srv.URL + "/flaky", k}}, want: exitOK},
		"truncated body":         {entries: []entry{{srv.URL + "/truncated", k}}, want: exitPartial, wantOut: []string{"UNREACHABLE"}},
		"HTML page":              {entries: []entry{{srv.URL + "/html", k}}, want: exitPartial, wantOut: []string{"UNREACHABLE", "HTML"}},
		"drift beats unverified": {entries: []entry{{srv.URL + "/nope", k}, {srv.URL + "/rootfs", k}}, want: exitDrift},
		"guard on refuses loopback": {entries: []entry{{srv.URL + "/kernel", k}}, extra: []string{"--allow-private-network=false"},
			want: exitPartial, wantOut: []string{"REFUSED"}},
		"size cap": {entries: []entry{{srv.URL + "/kernel", k}}, extra: []string{"--max-asset-bytes", "1000"},
			want: exitPartial, wantOut: []string{"REFUSED", "asset limit"}},
		"byte budget": {entries: []entry{{srv.URL + "/kernel", k}}, extra: []string{"--max-total-bytes", "1000"},
			want: exitPartial, wantOut: []string{"REFUSED", "budget"}},
		"bad mode":           {entries: []entry{{srv.URL + "/kernel", k}}, extra: []string{"--mode", "fast"}, want: exitBadInput},
		"auto without cache": {entries: []entry{{srv.URL + "/kernel", k}}, extra: []string{"--mode", "auto"}, want: exitBadInput},
		"bad concurrency":    {entries: []entry{{srv.URL + "/kernel", k}}, extra: []string{"--concurrency", "0"}, want: exitBadInput},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			file := writeManifest(t, tc.entries...)
			args := append([]string{"check", "--quiet", "--allow-private-network"}, tc.extra...)
			code, out, errOut := runBot(t, append(args, file)...)
			if code != tc.want {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.want, out, errOut)
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		if code, _, _ := runBot(t, "check", filepath.Join(t.TempDir(), "nope.py")); code != exitBadInput {
			t.Errorf("exit %d, want %d", code, exitBadInput)
		}
	})
}

func TestCheckDedupesAndReportsJSON(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	k, r := hexSum(kernelBytes), hexSum(rootfsBytes)
	file := writeManifest(t, entry{srv.URL + "/kernel", k}, entry{srv.URL + "/kernel", r}, entry{srv.URL + "/rootfs", r})
	code, out, errOut := runBot(t, "check", "--quiet", "--allow-private-network", "--json", file)
	if code != exitDrift {
		t.Fatalf("exit %d, want %d: %s", code, exitDrift, errOut)
	}
	if n := srv.requests("/kernel"); n != 1 {
		t.Errorf("/kernel fetched %d times, want once", n)
	}
	var doc report.Document
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, out)
	}
	if doc.Summary.Drift != 1 || doc.Summary.OK != 1 || len(doc.Results) != 2 {
		t.Fatalf("summary %+v, %d results; want 1 drift, 1 ok, 2 results", doc.Summary, len(doc.Results))
	}
	d := doc.Results[0]
	if d.Status != "drift" || d.Got != k || len(d.Pins) != 2 || d.Pins[1].Line != 8 || d.Pins[1].Column != 19 {
		t.Errorf("drift result = %+v", d)
	}
}

func TestCheckInGitHubActions(t *testing.T) {
	checkEnv(t)
	srv := newAssetServer(t)
	summary := filepath.Join(t.TempDir(), "summary.md")
	if err := os.WriteFile(summary, []byte("earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GITHUB_ACTIONS", "true")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	k, r := hexSum(kernelBytes), hexSum(rootfsBytes)
	file := writeManifest(t, entry{srv.URL + "/kernel", k}, entry{srv.URL + "/rootfs", k})
	code, out, _ := runBot(t, "check", "--quiet", "--allow-private-network", file)
	if code != exitDrift {
		t.Fatalf("exit %d, want %d", code, exitDrift)
	}
	wantAnn := fmt.Sprintf("::error file=%s,line=8,col=19,title=SHA-256 drift::%s/rootfs%%0Aexpected %s%%0Agot      %s\n",
		escapeProperty(file), srv.URL, k, r)
	if !strings.Contains(out, wantAnn) {
		t.Errorf("stdout lacks annotation %q:\n%s", wantAnn, out)
	}
	if n := strings.Count(out, "::error "); n != 1 {
		t.Errorf("%d error annotations, want 1", n)
	}
	md, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"earlier step\n## :x: pindrift: 1 pinned asset changed", "| 1 | 1 | 0 | 0 | 0 | 0 | 0 |",
		"| `" + srv.URL + "/rootfs` | `" + file + ":8`", "`" + k + "` | `" + r + "` |"} {
		if !strings.Contains(string(md), w) {
			t.Errorf("step summary lacks %q:\n%s", w, md)
		}
	}
}

// fakeGitHubAPI serves one release of acme/os under /api-v3/ and fails
// on anything else; it records the Authorization header it sees.
func fakeGitHubAPI(t *testing.T, digest string) (*httptest.Server, *[]string) {
	var mu sync.Mutex
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.URL.Path != "/api-v3/repos/acme/os/releases/tags/v1" {
			t.Errorf("unexpected API request %s", r.URL)
			http.NotFound(w, r)
			return
		}
		asset := map[string]any{"id": 7, "name": "kernel", "size": len(kernelBytes), "updated_at": "2025-08-01T10:00:00Z"}
		if digest != "" {
			asset["digest"] = "sha256:" + digest
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": 1, "tag_name": "v1", "assets": []any{asset}})
	}))
	t.Cleanup(srv.Close)
	return srv, &auth
}

func TestCheckReleaseModes(t *testing.T) {
	checkEnv(t)
	t.Setenv("GITHUB_TOKEN", "ghs_secret")
	k := hexSum(kernelBytes)
	tests := map[string]struct {
		digest        string
		mode          string
		runs          int
		wantDownloads int
		wantCode      int
	}{
		"metadata trusts the digest":          {digest: k, mode: "metadata", runs: 1, wantDownloads: 0, wantCode: exitOK},
		"metadata reports digest drift":       {digest: hexSum(rootfsBytes), mode: "metadata", runs: 1, wantDownloads: 0, wantCode: exitDrift},
		"metadata downloads without a digest": {mode: "metadata", runs: 1, wantDownloads: 1, wantCode: exitOK},
		"auto downloads once across runs":     {mode: "auto", runs: 2, wantDownloads: 1, wantCode: exitOK},
		"full never asks the API":             {digest: k, mode: "full", runs: 1, wantDownloads: 1, wantCode: exitOK},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			dl := newAssetServer(t)
			api, apiAuth := fakeGitHubAPI(t, tc.digest)
			file := writeManifest(t, entry{dl.URL + "/acme/os/releases/download/v1/kernel", k})
			cache := filepath.Join(t.TempDir(), "cache.json")
			for range tc.runs {
				code, out, errOut := runBot(t, "check", "--quiet", "--allow-private-network", "--mode", tc.mode,
					"--cache", cache, "--github-api-url", api.URL+"/api-v3/", "--github-url", dl.URL, file)
				if code != tc.wantCode {
					t.Fatalf("exit %d, want %d\n%s%s", code, tc.wantCode, out, errOut)
				}
			}
			if n := dl.requests("/acme/os/releases/download/v1/kernel"); n != tc.wantDownloads {
				t.Errorf("%d downloads, want %d", n, tc.wantDownloads)
			}
			if tc.mode == "full" && len(*apiAuth) != 0 {
				t.Errorf("full mode made %d API requests", len(*apiAuth))
			}
			for _, a := range *apiAuth {
				if a != "Bearer ghs_secret" {
					t.Errorf("API request with Authorization %q, want the token", a)
				}
			}
			if len(dl.auth) != 0 {
				t.Errorf("download host received Authorization %q", dl.auth)
			}
		})
	}
}

// TestCheckFindingWithoutPosition: a module that defines none of the
// default symbols is reported against the file in the human report, the
// Actions annotation and the step summary, never at a made-up line 0.
func TestCheckFindingWithoutPosition(t *testing.T) {
	checkEnv(t)
	summary := filepath.Join(t.TempDir(), "summary.md")
	t.Setenv("GITHUB_ACTIONS", "true")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	file := filepath.Join(t.TempDir(), "empty.py")
	if err := os.WriteFile(file, []byte("X = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runBot(t, "check", "--quiet", file)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d\n%s", code, exitPartial, out)
	}
	md, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{":0:0", "line=0", file + ":0"} {
		if strings.Contains(out, bad) || strings.Contains(string(md), bad) {
			t.Errorf("the report says %q:\n%s\n%s", bad, out, md)
		}
	}
	for _, want := range []string{"UNRESOLVED " + file + " ", "::warning file=" + escapeProperty(file) + ",title="} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckExitCode(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		s    verify.Summary
		want int
	}{
		"all ok":                 {verify.Summary{OK: 3}, exitOK},
		"nothing to check":       {verify.Summary{}, exitOK},
		"drift beats unverified": {verify.Summary{OK: 1, Drift: 1, Unreachable: 2}, exitDrift},
		"missing":                {verify.Summary{OK: 1, Missing: 1}, exitPartial},
		"unreachable":            {verify.Summary{Unreachable: 1}, exitPartial},
		"refused":                {verify.Summary{Refused: 1}, exitPartial},
		"unresolved":             {verify.Summary{OK: 1, Unresolved: 1}, exitPartial},
		"invalid":                {verify.Summary{Invalid: 1}, exitPartial},
	}
	for name, tc := range tests {
		if got := checkExitCode(tc.s); got != tc.want {
			t.Errorf("%s: exit %d, want %d", name, got, tc.want)
		}
	}
}

// escapeProperty escapes a workflow command's property as the Actions
// runner decodes it (toolkit's command.ts), written out here so that the
// test does not take report's word for it.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
