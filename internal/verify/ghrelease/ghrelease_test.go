package ghrelease

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
)

const token = "ghs_test_token"

var (
	kernel  = []byte("a kernel image, more or less")
	updated = time.Date(2025, 8, 1, 10, 0, 0, 0, time.UTC)
)

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// recorder is an HTTP server that records the Authorization header of
// every request it gets.
type recorder struct {
	*httptest.Server
	mu    sync.Mutex
	seen  []string // "METHOD path?query auth"
	auths []string
}

func newRecorder(t *testing.T, h func(t *testing.T, w http.ResponseWriter, r *http.Request)) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.seen = append(rec.seen, r.Method+" "+r.URL.RequestURI())
		rec.auths = append(rec.auths, r.Header.Get("Authorization"))
		rec.mu.Unlock()
		h(t, w, r)
	}))
	t.Cleanup(rec.Close)
	return rec
}

func (r *recorder) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.seen...)
}

func (r *recorder) authorizations() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.auths...)
}

func writeJSON(t *testing.T, w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		t.Errorf("encode: %v", err)
	}
}

type fixture struct {
	api, downloads, elsewhere *recorder
	resolver                  *Resolver
}

// newFixture fakes GitHub: the API under /api-v3/ on one host, release
// downloads on another, and a third host the API redirects to for a
// renamed repository. Any request the fake does not expect fails the test.
func newFixture(t *testing.T) *fixture {
	f := &fixture{}
	f.elsewhere = newRecorder(t, func(t *testing.T, w http.ResponseWriter, r *http.Request) {
		writeJSON(t, w, map[string]any{"id": 5, "tag_name": "v1", "assets": []any{}})
	})
	f.downloads = newRecorder(t, func(t *testing.T, w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/acme/os/releases/download/v1/kernel", "/acme/os/releases/download/v1/nodigest",
			"/acme/os/releases/download/v2-rc/kernel":
			w.Write(kernel)
		default:
			t.Errorf("unexpected download %s", r.URL)
			http.NotFound(w, r)
		}
	})
	asset := func(id int, name, digest string) map[string]any {
		a := map[string]any{"id": id, "name": name, "size": len(kernel), "updated_at": updated,
			"uploader": map[string]any{"login": "release-bot"}}
		if digest != "" {
			a["digest"] = digest
		}
		return a
	}
	f.api = newRecorder(t, func(t *testing.T, w http.ResponseWriter, r *http.Request) {
		switch r.URL.RequestURI() {
		case "/api-v3/repos/acme/os/releases/tags/v1":
			writeJSON(t, w, map[string]any{"id": 1, "tag_name": "v1", "immutable": true, "assets": []any{
				asset(11, "kernel", "sha256:"+sum(kernel)),
				asset(12, "nodigest", ""),
			}})
		case "/api-v3/repos/acme/os/releases/tags/v2-rc", "/api-v3/repos/acme/os/releases/tags/v9":
			w.WriteHeader(http.StatusNotFound)
			writeJSON(t, w, map[string]any{"message": "Not Found"})
		case "/api-v3/repos/acme/os/releases?per_page=100&page=1":
			writeJSON(t, w, []any{
				map[string]any{"id": 2, "tag_name": "v2-rc", "draft": true, "assets": []any{asset(21, "kernel", "")}},
			})
		case "/api-v3/repos/acme/moved/releases/tags/v1":
			http.Redirect(w, r, f.elsewhere.URL+"/api-v3/repositories/5/releases/tags/v1", http.StatusMovedPermanently)
		default:
			t.Errorf("unexpected API request %s", r.URL)
			http.NotFound(w, r)
		}
	})
	res, err := New(Options{APIURL: f.api.URL + "/api-v3", WebURL: f.downloads.URL, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	f.resolver = res
	return f
}

func TestResolve(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	dl := f.downloads.URL + "/acme/os/releases/download/"
	tests := map[string]struct {
		url     string
		want    verify.AssetInfo
		wantErr error
	}{
		"asset with a digest": {url: dl + "v1/kernel", want: verify.AssetInfo{
			ID: 11, Size: int64(len(kernel)), UpdatedAt: updated, Uploader: "release-bot", SHA256: sum(kernel), Immutable: true}},
		"asset without a digest": {url: dl + "v1/nodigest", want: verify.AssetInfo{
			ID: 12, Size: int64(len(kernel)), UpdatedAt: updated, Uploader: "release-bot", Immutable: true}},
		"draft release":     {url: dl + "v2-rc/kernel", want: verify.AssetInfo{ID: 21, Size: int64(len(kernel)), UpdatedAt: updated, Uploader: "release-bot"}},
		"no such asset":     {url: dl + "v1/initrd", wantErr: verify.ErrAssetNotFound},
		"no such release":   {url: dl + "v9/kernel", wantErr: verify.ErrAssetNotFound},
		"another host":      {url: "https://mirror.example.com/acme/os/releases/download/v1/kernel", wantErr: verify.ErrNotReleaseAsset},
		"not a release URL": {url: f.downloads.URL + "/acme/os/archive/v1.tar.gz", wantErr: verify.ErrNotReleaseAsset},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := f.resolver.Resolve(t.Context(), tc.url)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("error = %v, want %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("asset (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResolveLooksEachReleaseUpOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, name := range []string{"kernel", "nodigest", "kernel"} {
		if _, err := f.resolver.Resolve(t.Context(), f.downloads.URL+"/acme/os/releases/download/v1/"+name); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{"GET /api-v3/repos/acme/os/releases/tags/v1"}, f.api.requests()); diff != "" {
		t.Errorf("API requests (-want +got):\n%s", diff)
	}
}

// TestTokenStaysOnTheAPIHost runs the engine with the resolver in metadata
// mode: the API gets the token, the download host and a host the API
// redirects to never do.
func TestTokenStaysOnTheAPIHost(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	dl := f.downloads.URL
	pins := []pin.Pin{
		{URL: dl + "/acme/os/releases/download/v1/kernel", SHA256: sum(kernel)},    // digest, no download
		{URL: dl + "/acme/os/releases/download/v1/nodigest", SHA256: sum(kernel)},  // downloaded
		{URL: dl + "/acme/moved/releases/download/v1/kernel", SHA256: sum(kernel)}, // API redirects away
	}
	v := verify.New(verify.Options{AllowPrivateNetwork: true, Mode: verify.ModeMetadata, Resolver: f.resolver})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := v.Verify(ctx, pins, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := []verify.Status{}
	for _, o := range rep.Outcomes {
		got = append(got, o.Status)
	}
	if diff := cmp.Diff([]verify.Status{verify.StatusOK, verify.StatusOK, verify.StatusMissing}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	for _, a := range f.api.authorizations() {
		if a != "Bearer "+token {
			t.Errorf("API request without the token: %q", a)
		}
	}
	if len(f.downloads.requests()) != 1 || len(f.elsewhere.requests()) != 1 {
		t.Fatalf("downloads %v, elsewhere %v: want one request each", f.downloads.requests(), f.elsewhere.requests())
	}
	for name, r := range map[string]*recorder{"download host": f.downloads, "redirect target": f.elsewhere} {
		for _, a := range r.authorizations() {
			if a != "" {
				t.Errorf("%s received Authorization %q", name, a)
			}
		}
	}
}

func TestParseReleaseURL(t *testing.T) {
	t.Parallel()
	r, err := New(Options{WebURL: "https://ghe.example.com/github"})
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		want releaseURL
		ok   bool
	}{
		"https://ghe.example.com/github/o/r/releases/download/v1.2/a.tar.gz":  {releaseURL{"o", "r", "v1.2", "a.tar.gz"}, true},
		"https://ghe.example.com/github/o/r/releases/download/rel/2025/a%20b": {releaseURL{"o", "r", "rel/2025", "a b"}, true},
		"https://ghe.example.com/o/r/releases/download/v1/a":                  {},
		"https://ghe.example.com/github/o/r/releases/latest/download/a":       {},
		"https://ghe.example.com/github/o/r/releases/download/v1/a?x=1":       {releaseURL{"o", "r", "v1", "a"}, true}, // GitHub ignores the query
		"https://GHE.example.com/github/o/r/releases/download/v1/a#frag":      {releaseURL{"o", "r", "v1", "a"}, true},
		"http://ghe.example.com/github/o/r/releases/download/v1/a":            {},
	}
	for in, tc := range tests {
		got, ok := r.parse(in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parse(%q) = %+v, %v; want %+v, %v", in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestLocate(t *testing.T) {
	r, err := New(Options{WebURL: "https://ghe.example.com/"})
	if err != nil {
		t.Fatal(err)
	}
	loc, ok := r.Locate("https://ghe.example.com/acme/images/releases/download/kernels/v1/vmlinux%2Bdbg")
	want := Location{Owner: "acme", Repo: "images", Tag: "kernels/v1", Name: "vmlinux+dbg",
		ReleasePage: "https://ghe.example.com/acme/images/releases/tag/kernels/v1"}
	if !ok || loc != want {
		t.Errorf("Locate = %+v, %v; want %+v", loc, ok, want)
	}
	for _, other := range []string{
		"https://github.com/acme/images/releases/download/v1/vmlinux",
		"https://ghe.example.com/acme/images/archive/v1.tar.gz",
	} {
		if _, ok := r.Locate(other); ok {
			t.Errorf("Locate(%s) ok, want not a release download URL of this host", other)
		}
	}
}
