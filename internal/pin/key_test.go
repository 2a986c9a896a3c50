package pin

import "testing"

func TestKeyReadsPinsWithoutAlgorithm(t *testing.T) {
	t.Parallel()
	hex := "AB0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"
	tests := map[string]struct {
		p    Pin
		want Key
	}{
		"set":            {p: Pin{SHA256: "x", Algorithm: SHA512, Digest: "FF"}, want: Key{SHA512, "ff"}},
		"legacy hex":     {p: Pin{SHA256: hex}, want: Key{SHA256, "ab0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"}},
		"legacy not hex": {p: Pin{SHA256: "XYZ"}, want: Key{SHA256, "xyz"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tc.p.Key(); got != tc.want {
				t.Errorf("Key() = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestNaming(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		algs []Algorithm
		want string
	}{
		"none":    {nil, "SHA-256"},
		"one":     {[]Algorithm{SHA384, SHA384}, "SHA-384"},
		"several": {[]Algorithm{SHA256, SHA512}, "digest"},
	}
	for name, tc := range tests {
		if got := Naming(tc.algs); got != tc.want {
			t.Errorf("%s: Naming(%v) = %q, want %q", name, tc.algs, got, tc.want)
		}
	}
}
