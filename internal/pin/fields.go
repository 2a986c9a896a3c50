package pin

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Fields says which keys of a record (a dict, an object, a table, the
// keyword arguments of a call) hold URLs and which hold digests. A
// pattern is a key name, "*suffix" or "prefix*"; matching ignores case.
type Fields struct {
	URL    []string `json:"url_fields,omitempty"`
	Digest []string `json:"digest_fields,omitempty"`
}

// DefaultFields are the keys pindrift knows without configuration: the
// spellings of Bazel (url, urls, sha256, integrity), build scripts
// (*_url, *_sha256), Scoop (url, hash), winget (InstallerUrl,
// InstallerSha256), Spack and EasyBuild (source_urls, checksum) and
// registries (mirror_urls).
var DefaultFields = Fields{
	URL:    []string{"url", "urls", "*_url", "*_urls", "source_urls", "InstallerUrl"},
	Digest: []string{"sha256", "*_sha256", "sha384", "sha512", "integrity", "hash", "checksum", "checksums", "InstallerSha256"},
}

// With returns f extended by more's patterns (duplicates dropped).
func (f Fields) With(more Fields) Fields {
	add := func(have, extra []string) []string {
		out := slices.Clone(have)
		for _, p := range extra {
			if !slices.ContainsFunc(out, func(q string) bool { return strings.EqualFold(p, q) }) {
				out = append(out, p)
			}
		}
		return out
	}
	return Fields{URL: add(f.URL, more.URL), Digest: add(f.Digest, more.Digest)}
}

// IsURL reports a key that holds a URL or a list of mirrors.
func (f Fields) IsURL(key string) bool { _, ok := match(f.URL, key); return ok }

// IsDigest reports a key that holds a digest.
func (f Fields) IsDigest(key string) bool { _, ok := match(f.Digest, key); return ok }

// match reports whether key matches one of patterns, and its stem: what
// the pattern's wildcard stood for ("kernel" for kernel_url under
// "*_url"), "" for an exact name.
func match(patterns []string, key string) (stem string, ok bool) {
	for _, p := range patterns {
		switch {
		case strings.HasPrefix(p, "*"):
			suf := p[1:]
			if len(key) > len(suf) && strings.EqualFold(key[len(key)-len(suf):], suf) {
				return key[:len(key)-len(suf)], true
			}
		case strings.HasSuffix(p, "*"):
			pre := p[:len(p)-1]
			if len(key) > len(pre) && strings.EqualFold(key[:len(pre)], pre) {
				return key[len(pre):], true
			}
		case strings.EqualFold(p, key):
			return "", true
		}
	}
	return "", false
}

// Pairing is one digest key of a record and the URL keys it vouches for.
type Pairing struct {
	Digest string
	URLs   []string
}

// Pair groups the keys of one record. When the record has one group of
// digest keys (sha256; kernel_sha256; InstallerSha256), every URL key in
// it is vouched for (url and mirror_urls are mirrors of one asset, and
// InstallerUrl pairs with InstallerSha256). When it has several
// (kernel_sha256 and rootfs_sha256), each pairs with the URL keys of its
// own stem (kernel_url, rootfs_url). A digest key nothing pairs with gets a Pairing with no URLs; the
// caller reports it. keys keeps its order in the result.
func (f Fields) Pair(keys []string) []Pairing {
	urlStems := map[string][]string{}
	var allURLs []string
	digestStems := map[string]bool{}
	for _, k := range keys {
		if s, ok := match(f.URL, k); ok {
			s = strings.ToLower(s)
			urlStems[s] = append(urlStems[s], k)
			allURLs = append(allURLs, k)
		} else if s, ok := match(f.Digest, k); ok {
			digestStems[strings.ToLower(s)] = true
		}
	}
	var out []Pairing
	for _, k := range keys {
		if f.IsURL(k) {
			continue
		}
		s, ok := match(f.Digest, k)
		if !ok {
			continue
		}
		urls := urlStems[strings.ToLower(s)]
		if len(digestStems) == 1 {
			// One digest for the record: every URL in it is a mirror.
			urls = allURLs
		}
		out = append(out, Pairing{Digest: k, URLs: urls})
	}
	return out
}

// CheckPattern says what is wrong with a field pattern given by a user
// (--url-field, a config file's url_fields), or nil: a key name,
// "*suffix" or "prefix*", with no other '*' and no space, and never a
// bare "*", which would make every key a URL or a digest.
func CheckPattern(p string) error {
	switch {
	case p == "":
		return fmt.Errorf("empty field pattern")
	case strings.TrimLeft(strings.TrimRight(p, "*"), "*") == "":
		return fmt.Errorf("field pattern %q matches every key; want a name, *suffix or prefix*", p)
	case strings.ContainsFunc(p, unicode.IsSpace):
		return fmt.Errorf("field pattern %q contains a space", p)
	case strings.Count(p, "*") > 1 || strings.Contains(p[1:max(1, len(p)-1)], "*"):
		return fmt.Errorf("field pattern %q: '*' may only start or end it (*suffix or prefix*)", p)
	}
	return nil
}
