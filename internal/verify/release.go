package verify

import (
	"context"
	"errors"
	"time"

	"github.com/pindrift/pindrift/internal/pin"
)

// ErrNotReleaseAsset is returned by an AssetResolver for a URL it does not
// know how to look up; the URL is then simply downloaded.
var ErrNotReleaseAsset = errors.New("not a release asset URL")

// ErrAssetNotFound is returned by an AssetResolver when the release or the
// asset does not exist; the URL is then missing.
var ErrAssetNotFound = errors.New("release asset not found")

// ErrNotVisible is returned by an AssetResolver for an asset it may not
// read with its credentials and could not read without them. It says
// nothing of whether the repository, release or asset exists, so that a
// pin in a public repository cannot probe a private one; the URL is then
// unreachable.
var ErrNotVisible = errors.New("not found among the releases this repository may read " +
	"(releases of a repository more private than this one are read without credentials)")

// AssetInfo is what a release host says about one asset.
type AssetInfo struct {
	ID        int64
	Size      int64
	UpdatedAt time.Time
	Uploader  string
	// SHA256 is the host's own digest in lowercase hex, "" when it has
	// none (GitHub only computes it for assets uploaded since mid-2025).
	SHA256 string
	// Immutable reports a release the host promises never to change.
	Immutable bool
	// DirectURL, when set, returns a URL serving the asset's bytes without
	// credentials (a short-lived signed URL), for an asset that its pinned
	// URL serves only to those who may read it (a private release).
	DirectURL func(ctx context.Context) (string, error)
}

// Identity is what must stay equal for a cached verification to stand.
func (a AssetInfo) Identity() AssetIdentity {
	return AssetIdentity{ID: a.ID, Size: a.Size, UpdatedAt: a.UpdatedAt.UTC()}
}

// AssetIdentity names one upload of one asset.
type AssetIdentity struct {
	ID        int64     `json:"id"`
	Size      int64     `json:"size"`
	UpdatedAt time.Time `json:"updated_at"`
}

// AssetResolver looks up release metadata for a download URL.
type AssetResolver interface {
	// Resolve returns the asset behind url, ErrNotReleaseAsset if url is
	// not one of the resolver's release URLs, ErrAssetNotFound if the
	// release or asset does not exist, or another error when the lookup
	// failed.
	Resolve(ctx context.Context, url string) (AssetInfo, error)
}

// AssetKeyer is implemented by resolvers that know when different URLs
// name the same asset (GitHub ignores the query string of a release
// download URL and the case of its owner and repository), so that a run
// downloads it once.
type AssetKeyer interface {
	// AssetKey returns the same key for URLs of the same asset; ok is
	// false for a URL the resolver does not know.
	AssetKey(url string) (key string, ok bool)
}

// CacheEntry records the digests observed by downloading one asset
// identity.
type CacheEntry struct {
	Identity AssetIdentity `json:"identity"`
	// SHA256 is the SHA-256 in lowercase hex, "" when the download did not
	// compute it. It keeps its own field so that entries written before
	// other algorithms existed read the same, and so older readers still
	// find it.
	SHA256 string `json:"sha256"`
	// Digests holds the digests under the other algorithms, by algorithm.
	Digests    map[pin.Algorithm]string `json:"digests,omitempty"`
	VerifiedAt time.Time                `json:"verified_at"`
}

// Sum is the recorded digest under a, "" when the entry has none.
func (e CacheEntry) Sum(a pin.Algorithm) string {
	if a == pin.SHA256 {
		return e.SHA256
	}
	return e.Digests[a]
}

// withSums records sums in e, keeping what e knew of other algorithms.
func (e CacheEntry) withSums(sums map[pin.Algorithm]string) CacheEntry {
	out := e
	out.Digests = nil
	for a, s := range e.Digests {
		out.setSum(a, s)
	}
	for a, s := range sums {
		out.setSum(a, s)
	}
	return out
}

func (e *CacheEntry) setSum(a pin.Algorithm, s string) {
	if a == pin.SHA256 {
		e.SHA256 = s
		return
	}
	if e.Digests == nil {
		e.Digests = map[pin.Algorithm]string{}
	}
	e.Digests[a] = s
}

// Cache remembers download-verified digests across runs, keyed by URL.
type Cache interface {
	Get(ctx context.Context, url string) (CacheEntry, bool, error)
	Put(ctx context.Context, url string, e CacheEntry) error
}
