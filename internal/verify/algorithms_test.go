package verify

import (
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pindrift/pindrift/internal/pin"
)

// sumOf is the lowercase hex digest of b under a.
func sumOf(a pin.Algorithm, b []byte) string {
	h := a.New()
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// pinWith is a pin of url whose literal writes hexDigest of a in enc, as
// an extractor of that format would report it.
func pinWith(t *testing.T, url string, a pin.Algorithm, enc pin.Encoding, hexDigest string, line int) pin.Pin {
	t.Helper()
	text := hexDigest
	switch enc {
	case pin.PrefixedHex:
		text = string(a) + ":" + hexDigest
	case pin.SRI:
		b, err := hex.DecodeString(hexDigest)
		if err != nil {
			t.Fatal(err)
		}
		text = string(a) + "-" + base64.StdEncoding.EncodeToString(b)
	}
	d, ok := pin.ParseDigest(text)
	if !ok || d.Algorithm != a || d.Encoding != enc {
		t.Fatalf("test digest %q does not parse as %s %s", text, a, enc)
	}
	p := pinAt(url, "", line)
	p.SetDigest(d)
	return p
}

// TestVerifyEachAlgorithm checks the live bytes against pins of every
// algorithm and encoding: Got is the digest of the pin's algorithm.
func TestVerifyEachAlgorithm(t *testing.T) {
	t.Parallel()
	srv, _ := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(assetA) }))
	for _, a := range pin.Algorithms {
		for _, enc := range []pin.Encoding{pin.Hex, pin.PrefixedHex, pin.SRI} {
			for _, pinned := range [][]byte{assetA, assetB} {
				want := StatusOK
				if string(pinned) != string(assetA) {
					want = StatusDrift
				}
				name := string(a) + "/" + string(enc) + "/" + string(want)
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					p := pinWith(t, srv.URL+"/a", a, enc, sumOf(a, pinned), 1)
					o := verifyPins(t, testOptions(), p).Outcomes[0]
					got := struct {
						Status    Status
						Algorithm pin.Algorithm
						Expected  []string
						Got       string
						Drifted   int
					}{o.Status, o.Algorithm, o.Expected, o.Got, len(o.Drifted())}
					wantDrifted := 0
					if want == StatusDrift {
						wantDrifted = 1
					}
					wantGot := struct {
						Status    Status
						Algorithm pin.Algorithm
						Expected  []string
						Got       string
						Drifted   int
					}{want, a, []string{sumOf(a, pinned)}, sumOf(a, assetA), wantDrifted}
					if diff := cmp.Diff(wantGot, got); diff != "" {
						t.Errorf("(-want +got):\n%s\nerror: %s", diff, o.Err)
					}
				})
			}
		}
	}
}

// TestOneDownloadForEveryAlgorithm pins one asset under sha256 in one
// place and sha512 SRI in another (and under another spelling of its
// URL): it is read once and each pin is judged on its own algorithm.
func TestOneDownloadForEveryAlgorithm(t *testing.T) {
	t.Parallel()
	srv, requests := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(assetA) }))
	u := srv.URL + "/a"
	pins := []pin.Pin{
		pinAt(u, sum(assetA), 1),
		pinWith(t, u, pin.SHA512, pin.SRI, sumOf(pin.SHA512, assetB), 2),
		pinWith(t, u+"#frag", pin.SHA384, pin.PrefixedHex, sumOf(pin.SHA384, assetA), 3),
	}
	rep := verifyPins(t, testOptions(), pins...)
	if n := requests.get("/a"); n != 1 {
		t.Errorf("%d requests for /a, want 1", n)
	}
	type row struct {
		URL       string
		Algorithm pin.Algorithm
		Status    Status
		Got       string
		Pins      int
	}
	var got []row
	for _, o := range rep.Outcomes {
		got = append(got, row{o.URL, o.Algorithm, o.Status, o.Got, len(o.Pins)})
	}
	want := []row{
		{u, pin.SHA256, StatusOK, sum(assetA), 1},
		{u, pin.SHA512, StatusDrift, sumOf(pin.SHA512, assetA), 1},
		{u + "#frag", pin.SHA384, StatusOK, sumOf(pin.SHA384, assetA), 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]pin.Pin{pins[1]}, rep.Outcomes[1].Drifted()); diff != "" {
		t.Errorf("drifted (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Summary{OK: 2, Drift: 1}, rep.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}

// TestDigestAndCacheAnswerTheirAlgorithms: GitHub's digest and a cache
// entry written before other algorithms existed answer sha256 pins only;
// a sha512 pin of the same asset downloads it, and the cache then keeps
// both digests.
func TestDigestAndCacheAnswerTheirAlgorithms(t *testing.T) {
	t.Parallel()
	srv, requests := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(assetA) }))
	rel := srv.URL + "/o/r/releases/download/v1/"
	updated := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	size := int64(len(assetA))
	id := AssetIdentity{ID: 2, Size: size, UpdatedAt: updated}
	resolver := &fakeResolver{assets: map[string]AssetInfo{
		rel + "digest.bin": {ID: 1, Size: size, UpdatedAt: updated, SHA256: sum(assetA)},
		rel + "cached.bin": {ID: 2, Size: size, UpdatedAt: updated},
	}}
	tests := map[string]struct {
		mode       Mode
		url        string
		only512    bool
		wantSource map[pin.Algorithm]Source
	}{
		"metadata": {mode: ModeMetadata, url: "digest.bin",
			wantSource: map[pin.Algorithm]Source{pin.SHA256: SourceDigest, pin.SHA512: SourceDownload}},
		"metadata, sha512 only": {mode: ModeMetadata, url: "digest.bin", only512: true,
			wantSource: map[pin.Algorithm]Source{pin.SHA512: SourceDownload}},
		"auto": {mode: ModeAuto, url: "cached.bin",
			wantSource: map[pin.Algorithm]Source{pin.SHA256: SourceCache, pin.SHA512: SourceDownload}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			// Not parallel: cases share the server's request counts.
			cache, err := OpenFileCache(filepath.Join(t.TempDir(), "cache.json"))
			if err != nil {
				t.Fatal(err)
			}
			// An entry as today's caches hold it: a SHA-256 and nothing else.
			cache.Put(t.Context(), rel+"cached.bin", CacheEntry{Identity: id, SHA256: sum(assetA)})
			opts := testOptions()
			opts.Mode, opts.Resolver, opts.Cache = tc.mode, resolver, cache
			u := rel + tc.url
			pins := []pin.Pin{pinWith(t, u, pin.SHA512, pin.SRI, sumOf(pin.SHA512, assetA), 2)}
			if !tc.only512 {
				pins = append([]pin.Pin{pinAt(u, sum(assetA), 1)}, pins...)
			}
			before := requests.get(strings.TrimPrefix(u, srv.URL))
			rep := verifyPins(t, opts, pins...)
			got := map[pin.Algorithm]Source{}
			for _, o := range rep.Outcomes {
				if o.Status != StatusOK {
					t.Errorf("%s: %s (%s)", o.Algorithm, o.Status, o.Err)
				}
				got[o.Algorithm] = o.Source
			}
			if diff := cmp.Diff(tc.wantSource, got); diff != "" {
				t.Errorf("sources (-want +got):\n%s", diff)
			}
			if n := requests.get(strings.TrimPrefix(u, srv.URL)) - before; n != 1 {
				t.Errorf("%d downloads, want 1", n)
			}
			if tc.mode != ModeAuto {
				return
			}
			e, _, _ := cache.Get(t.Context(), u)
			want := CacheEntry{Identity: id, SHA256: sum(assetA),
				Digests: map[pin.Algorithm]string{pin.SHA512: sumOf(pin.SHA512, assetA)}}
			if diff := cmp.Diff(want, e, cmpopts.IgnoreFields(CacheEntry{}, "VerifiedAt")); diff != "" {
				t.Errorf("cache entry (-want +got):\n%s", diff)
			}
		})
	}
}
