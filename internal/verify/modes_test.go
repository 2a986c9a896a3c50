package verify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeResolver answers from a map keyed by URL and counts lookups.
type fakeResolver struct {
	mu     sync.Mutex
	assets map[string]AssetInfo
	calls  int
}

func (f *fakeResolver) Resolve(_ context.Context, url string) (AssetInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if !strings.Contains(url, "/releases/download/") {
		return AssetInfo{}, ErrNotReleaseAsset
	}
	a, ok := f.assets[url]
	if !ok {
		return AssetInfo{}, fmt.Errorf("lookup %s: %w", url, ErrAssetNotFound)
	}
	return a, nil
}

func TestModes(t *testing.T) {
	t.Parallel()
	srv, requests := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "short.bin") {
			w.Write(assetA[:100])
			return
		}
		w.Write(assetA)
	}))
	rel := srv.URL + "/o/r/releases/download/v1/"
	updated := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	size := int64(len(assetA))
	resolver := &fakeResolver{assets: map[string]AssetInfo{
		rel + "digest.bin":   {ID: 1, Size: size, UpdatedAt: updated, SHA256: sum(assetB)},
		rel + "nodigest.bin": {ID: 2, Size: size, UpdatedAt: updated},
		rel + "short.bin":    {ID: 3, Size: size, UpdatedAt: updated},
	}}
	type want struct {
		status Status
		source Source
		reqs   int
	}
	tests := map[string]struct {
		mode  Mode
		cache map[string]CacheEntry
		url   string
		want  want
	}{
		"full ignores the digest": {mode: ModeFull, url: "digest.bin", want: want{StatusOK, SourceDownload, 1}},
		"metadata trusts the digest": {mode: ModeMetadata, url: "digest.bin",
			want: want{StatusDrift, SourceDigest, 0}},
		"metadata downloads without a digest": {mode: ModeMetadata, url: "nodigest.bin",
			want: want{StatusOK, SourceDownload, 1}},
		"missing release asset": {mode: ModeMetadata, url: "nope.bin", want: want{StatusMissing, "", 0}},
		"length differs from the API size": {mode: ModeMetadata, url: "short.bin",
			want: want{StatusUnreachable, "", DefaultTries}},
		"auto reuses a cached identity": {mode: ModeAuto, url: "nodigest.bin",
			cache: map[string]CacheEntry{"nodigest.bin": {Identity: AssetIdentity{ID: 2, Size: size, UpdatedAt: updated}, SHA256: sum(assetA)}},
			want:  want{StatusOK, SourceCache, 0}},
		"auto downloads a re-uploaded asset": {mode: ModeAuto, url: "nodigest.bin",
			cache: map[string]CacheEntry{"nodigest.bin": {Identity: AssetIdentity{ID: 1, Size: size, UpdatedAt: updated}, SHA256: sum(assetA)}},
			want:  want{StatusOK, SourceDownload, 1}},
		"auto downloads when the cache is empty": {mode: ModeAuto, url: "nodigest.bin",
			want: want{StatusOK, SourceDownload, 1}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			// Not parallel: cases share the server's request counts.
			cache, err := OpenFileCache(filepath.Join(t.TempDir(), "cache.json"))
			if err != nil {
				t.Fatal(err)
			}
			for u, e := range tc.cache {
				cache.Put(t.Context(), rel+u, e)
			}
			opts := testOptions()
			opts.Mode, opts.Resolver, opts.Cache = tc.mode, resolver, cache
			path := strings.TrimPrefix(rel, srv.URL) + tc.url
			before := requests.get(path)
			o := verifyPins(t, opts, pinAt(rel+tc.url, sum(assetA), 1)).Outcomes[0]
			got := want{o.Status, o.Source, requests.get(path) - before}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("(-want +got):\n%s\nerror: %s", diff, o.Err)
			}
		})
	}
}

func TestAutoModeCachesAcrossRuns(t *testing.T) {
	t.Parallel()
	srv, requests := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(assetA)
	}))
	u := srv.URL + "/o/r/releases/download/v1/a.bin"
	resolver := &fakeResolver{assets: map[string]AssetInfo{
		u: {ID: 9, Size: int64(len(assetA)), UpdatedAt: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)},
	}}
	path := filepath.Join(t.TempDir(), "cache.json")
	for run := range 2 {
		cache, err := OpenFileCache(path)
		if err != nil {
			t.Fatal(err)
		}
		opts := testOptions()
		opts.Mode, opts.Resolver, opts.Cache = ModeAuto, resolver, cache
		if o := verifyPins(t, opts, pinAt(u, sum(assetA), 1)).Outcomes[0]; o.Status != StatusOK {
			t.Fatalf("run %d: %s (%s)", run, o.Status, o.Err)
		}
		if err := cache.Save(); err != nil {
			t.Fatal(err)
		}
	}
	if n := requests.get("/o/r/releases/download/v1/a.bin"); n != 1 {
		t.Errorf("downloaded %d times over two runs, want once", n)
	}
}

func TestResolverErrorIsUnreachable(t *testing.T) {
	t.Parallel()
	opts := testOptions()
	opts.Mode = ModeMetadata
	opts.Resolver = resolverFunc(func(context.Context, string) (AssetInfo, error) {
		return AssetInfo{}, errors.New("API rate limit exceeded")
	})
	o := verifyPins(t, opts, pinAt("http://127.0.0.1:1/o/r/releases/download/v1/a", sum(nil), 1)).Outcomes[0]
	if o.Status != StatusUnreachable || !strings.Contains(o.Err, "rate limit") {
		t.Errorf("got %s (%s), want unreachable naming the API error", o.Status, o.Err)
	}
}

type resolverFunc func(context.Context, string) (AssetInfo, error)

func (f resolverFunc) Resolve(ctx context.Context, u string) (AssetInfo, error) { return f(ctx, u) }
