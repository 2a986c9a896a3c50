package pin

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	hex256 = "0b8ba2bab4cdd8b8e4ae4bbf9c0d5cfbf0c4bb6e0e92bb7e9d1c4f3f0e2c8a11"
	// sri256 is hex256 in base64.
	sri256 = "C4uiurTN2Ljkrku/nA1c+/DEu24Okrt+nRxPPw4sihE="
)

func TestParseDigest(t *testing.T) {
	hex384 := strings.Repeat("ab", 48)
	hex512 := strings.Repeat("cd", 64)
	tests := map[string]struct {
		in   string
		want Digest
		ok   bool
	}{
		"sha256 hex":          {hex256, Digest{Algorithm: SHA256, Hex: hex256, Encoding: Hex}, true},
		"sha256 upper hex":    {strings.ToUpper(hex256), Digest{Algorithm: SHA256, Hex: hex256, Encoding: Hex, Upper: true}, true},
		"sha384 hex":          {hex384, Digest{Algorithm: SHA384, Hex: hex384, Encoding: Hex}, true},
		"sha512 hex":          {hex512, Digest{Algorithm: SHA512, Hex: hex512, Encoding: Hex}, true},
		"prefixed sha256":     {"sha256:" + hex256, Digest{Algorithm: SHA256, Hex: hex256, Encoding: PrefixedHex, prefix: "sha256:"}, true},
		"prefixed upper":      {"SHA512:" + strings.ToUpper(hex512), Digest{Algorithm: SHA512, Hex: hex512, Encoding: PrefixedHex, Upper: true, prefix: "SHA512:"}, true},
		"sri sha256":          {"sha256-" + sri256, Digest{Algorithm: SHA256, Hex: hex256, Encoding: SRI, prefix: "sha256-"}, true},
		"too short":           {hex256[:63], Digest{}, false},
		"40 hex (git commit)": {hex256[:40], Digest{}, false},
		"prefix, wrong size":  {"sha256:" + hex256[:60], Digest{}, false},
		"sri, wrong size":     {"sha512-" + sri256, Digest{}, false},
		"not hex":             {strings.Repeat("g", 64), Digest{}, false},
		"empty":               {"", Digest{}, false},
		"url":                 {"https://example.com/a.tgz", Digest{}, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := ParseDigest(tc.in)
			if ok != tc.ok {
				t.Fatalf("ParseDigest(%q) ok = %v, want %v", tc.in, ok, tc.ok)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(Digest{})); diff != "" {
				t.Errorf("ParseDigest(%q) (-want +got):\n%s", tc.in, diff)
			}
			if ok && got.String() != tc.in {
				t.Errorf("String() = %q, want the text as written %q", got.String(), tc.in)
			}
		})
	}
}

// TestFormatKeepsForm: a new digest is written back in the old one's
// encoding, prefix and case.
func TestFormatKeepsForm(t *testing.T) {
	newHex := strings.Repeat("1f", 32)
	tests := map[string]struct{ old, want string }{
		"hex":          {hex256, newHex},
		"upper hex":    {strings.ToUpper(hex256), strings.ToUpper(newHex)},
		"prefixed":     {"sha256:" + hex256, "sha256:" + newHex},
		"upper prefix": {"SHA256:" + hex256, "SHA256:" + newHex},
		"sri":          {"sha256-" + sri256, "sha256-Hx8fHx8fHx8fHx8fHx8fHx8fHx8fHx8fHx8fHx8fHx8="},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			d, ok := ParseDigest(tc.old)
			if !ok {
				t.Fatalf("ParseDigest(%q) failed", tc.old)
			}
			if got := d.Format(strings.ToUpper(newHex)); got != tc.want {
				t.Errorf("Format = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLooksLikeDigest(t *testing.T) {
	for s, want := range map[string]bool{
		"sha256:" + hex256[:10]: true,
		"sha512-AAAA":           true,
		hex256:                  false,
		"sha256:" + hex256:      false,
		"shasum":                false,
		"v1.2.3":                false,
	} {
		if got := LooksLikeDigest(s); got != want {
			t.Errorf("LooksLikeDigest(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestAlgorithmHashes(t *testing.T) {
	for _, a := range Algorithms {
		h := a.New()
		if h == nil || h.Size() != a.Size() {
			t.Errorf("%s: New() size mismatch", a)
		}
	}
	if Algorithm("md5").New() != nil || Algorithm("md5").Size() != 0 {
		t.Error("unknown algorithm has a hash")
	}
}
