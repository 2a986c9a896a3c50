package ghrelease_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
	"github.com/pindrift/pindrift/internal/verify/ghrelease"
)

// TestOneAssetManySpellings: a release asset listed under twelve query
// strings, a fragment and other cases of its owner and repository (all
// ignored by GitHub) is downloaded once per run, in every mode that
// downloads.
func TestOneAssetManySpellings(t *testing.T) {
	t.Parallel()
	asset := bytes.Repeat([]byte("asset "), 50_000)
	h := sha256.Sum256(asset)
	for _, mode := range []verify.Mode{verify.ModeFull, verify.ModeAuto} {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			gh := ghfake.New(t)
			gh.AddRepo(ghfake.Repo{Owner: "acme", Name: "images"})
			gh.AddRelease("acme", "images", ghfake.Release{Tag: "v1", Assets: []ghfake.Asset{{Name: "big.bin", Content: asset}}})
			res, err := ghrelease.New(ghrelease.Options{APIURL: gh.APIURL(), WebURL: gh.URL()})
			if err != nil {
				t.Fatal(err)
			}
			base := gh.URL() + "/acme/images/releases/download/v1/big.bin"
			urls := []string{base, base + "#frag", gh.URL() + "/ACME/Images/releases/download/v1/big.bin"}
			for i := range 12 {
				urls = append(urls, fmt.Sprintf("%s?v=%d", base, i))
			}
			var pins []pin.Pin
			for i, u := range urls {
				pins = append(pins, pin.Pin{URL: u, SHA256: hex.EncodeToString(h[:]), SHASpan: pin.Span{Line: i + 1}})
			}
			v := verify.New(verify.Options{AllowPrivateNetwork: true, Mode: mode, Resolver: res})
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			rep, err := v.Verify(ctx, pins, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Summary.OK != len(urls) {
				t.Errorf("summary %+v, want %d ok", rep.Summary, len(urls))
			}
			downloads := 0
			for _, r := range gh.Requests() {
				if !r.API && strings.HasSuffix(r.Path, "/big.bin") {
					downloads++
				}
			}
			if downloads != 1 {
				t.Errorf("%d downloads of one asset, want 1", downloads)
			}
		})
	}
}
