package pin

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPair(t *testing.T) {
	tests := map[string]struct {
		keys []string
		want []Pairing
	}{
		"bazel":        {[]string{"name", "urls", "sha256", "strip_prefix"}, []Pairing{{"sha256", []string{"urls"}}}},
		"url and sri":  {[]string{"url", "integrity"}, []Pairing{{"integrity", []string{"url"}}}},
		"by stem":      {[]string{"kernel_url", "rootfs_url", "rootfs_sha256", "kernel_sha256"}, []Pairing{{"rootfs_sha256", []string{"rootfs_url"}}, {"kernel_sha256", []string{"kernel_url"}}}},
		"winget":       {[]string{"InstallerUrl", "InstallerSha256"}, []Pairing{{"InstallerSha256", []string{"InstallerUrl"}}}},
		"scoop":        {[]string{"version", "url", "hash"}, []Pairing{{"hash", []string{"url"}}}},
		"mirrors":      {[]string{"url", "mirror_urls", "sha256"}, []Pairing{{"sha256", []string{"url", "mirror_urls"}}}},
		"no url":       {[]string{"name", "sha256"}, []Pairing{{"sha256", nil}}},
		"no digest":    {[]string{"url", "version"}, nil},
		"case ignored": {[]string{"URL", "SHA256"}, []Pairing{{"SHA256", []string{"URL"}}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, DefaultFields.Pair(tc.keys)); diff != "" {
				t.Errorf("Pair(%q) (-want +got):\n%s", tc.keys, diff)
			}
		})
	}
}

func TestFieldsWith(t *testing.T) {
	f := DefaultFields.With(Fields{URL: []string{"download", "URL"}, Digest: []string{"md_sum"}})
	if !f.IsURL("download") || !f.IsDigest("md_sum") || !f.IsURL("x_url") {
		t.Errorf("extended fields do not match: %+v", f)
	}
	if len(f.URL) != len(DefaultFields.URL)+1 {
		t.Errorf("a pattern already there (URL) was added again: %q", f.URL)
	}
	if DefaultFields.IsURL("download") {
		t.Error("With changed DefaultFields")
	}
}

func TestFillTemplate(t *testing.T) {
	vars := map[string]string{"version": "1.2", "name": "rules_go"}
	tests := map[string]struct {
		in, want string
		missing  []string
		ok       bool
	}{
		"plain":       {"https://x/a.tgz", "https://x/a.tgz", nil, true},
		"filled":      {"https://x/{name}/v{version}.tgz", "https://x/rules_go/v1.2.tgz", nil, true},
		"missing":     {"https://x/{arch}/{os}/{arch}", "https://x/{arch}/{os}/{arch}", []string{"arch", "os"}, false},
		"escaped":     {"https://x/{{v}}/{version}", "https://x/{v}/1.2", nil, true},
		"unbalanced":  {"https://x/{version", "https://x/{version", nil, false},
		"not a name":  {"https://x/{0}", "https://x/{0}", nil, false},
		"stray close": {"https://x/}", "https://x/}", nil, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, missing, ok := FillTemplate(tc.in, vars)
			if got != tc.want || ok != tc.ok || !cmp.Equal(missing, tc.missing) {
				t.Errorf("FillTemplate(%q) = %q, %q, %v; want %q, %q, %v", tc.in, got, missing, ok, tc.want, tc.missing, tc.ok)
			}
		})
	}
	if !HasPlaceholder("a/{version}") || HasPlaceholder("a/{{x}}") || HasPlaceholder("a/{0}") {
		t.Error("HasPlaceholder misjudges")
	}
}

func TestCheckPattern(t *testing.T) {
	tests := map[string]bool{
		"url": true, "*_url": true, "download*": true, "InstallerSha256": true,
		"": false, "*": false, "**": false, "a b": false, "*_url*": false, "a*b": false, "**x": false,
	}
	for p, ok := range tests {
		if err := CheckPattern(p); (err == nil) != ok {
			t.Errorf("CheckPattern(%q) = %v, want ok %v", p, err, ok)
		}
	}
}
