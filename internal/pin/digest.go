package pin

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"strings"
)

// Algorithm names a hash function a pin can promise.
type Algorithm string

// The algorithms pindrift verifies.
const (
	SHA256 Algorithm = "sha256"
	SHA384 Algorithm = "sha384"
	SHA512 Algorithm = "sha512"
)

// Algorithms lists every supported algorithm, shortest digest first.
var Algorithms = []Algorithm{SHA256, SHA384, SHA512}

// Size is the length of a's digest in bytes, 0 for an unknown algorithm.
func (a Algorithm) Size() int {
	switch a {
	case SHA256:
		return sha256.Size
	case SHA384:
		return sha512.Size384
	case SHA512:
		return sha512.Size
	}
	return 0
}

// New returns a new hash computing a, or nil for an unknown algorithm.
func (a Algorithm) New() hash.Hash {
	switch a {
	case SHA256:
		return sha256.New()
	case SHA384:
		return sha512.New384()
	case SHA512:
		return sha512.New()
	}
	return nil
}

// algorithmOfHexLen is the algorithm whose digest has n hex digits.
func algorithmOfHexLen(n int) (Algorithm, bool) {
	for _, a := range Algorithms {
		if 2*a.Size() == n {
			return a, true
		}
	}
	return "", false
}

// Encoding is how a digest is written in a file.
type Encoding string

// The encodings pindrift reads and writes back.
const (
	// Hex is bare hexadecimal: the algorithm follows from the length.
	Hex Encoding = "hex"
	// PrefixedHex is "sha256:<hex>" (also sha384:, sha512:).
	PrefixedHex Encoding = "prefixed-hex"
	// SRI is Subresource Integrity: "sha256-<base64>".
	SRI Encoding = "sri"
)

// Digest is a digest as a file writes it: what it promises (Algorithm and
// Hex) and how it is spelled (Encoding, letter case, prefix), so that a
// new value can be written back in the same form.
type Digest struct {
	Algorithm Algorithm
	// Hex is the digest in lowercase hexadecimal, whatever the encoding.
	Hex      string
	Encoding Encoding
	// Upper records hex written in capitals (every letter upper case).
	Upper bool
	// prefix is the algorithm prefix exactly as written ("sha256:",
	// "SHA256:", "sha384-"), empty for bare hex.
	prefix string
}

// ParseDigest recognises s, the text of a string literal, as a digest in
// one of the supported forms: bare hex of 64, 96 or 128 digits (sha256,
// sha384, sha512) in either case, "<algorithm>:<hex>", or an SRI
// "<algorithm>-<base64>". It reports false for anything else, including a
// known prefix followed by the wrong number of digits (see LooksLikeDigest).
func ParseDigest(s string) (Digest, bool) {
	if a, ok := algorithmOfHexLen(len(s)); ok && isHex(s) {
		return Digest{Algorithm: a, Hex: strings.ToLower(s), Encoding: Hex, Upper: isUpperHex(s)}, true
	}
	name, rest, sep := cutAlgorithm(s)
	if name == "" {
		return Digest{}, false
	}
	a := Algorithm(strings.ToLower(name))
	switch sep {
	case ':':
		if len(rest) != 2*a.Size() || !isHex(rest) {
			return Digest{}, false
		}
		return Digest{Algorithm: a, Hex: strings.ToLower(rest), Encoding: PrefixedHex, Upper: isUpperHex(rest),
			prefix: s[:len(name)+1]}, true
	case '-':
		b, err := base64.StdEncoding.Strict().DecodeString(rest)
		if err != nil || len(b) != a.Size() {
			return Digest{}, false
		}
		return Digest{Algorithm: a, Hex: hex.EncodeToString(b), Encoding: SRI, prefix: s[:len(name)+1]}, true
	}
	return Digest{}, false
}

// LooksLikeDigest reports text that is meant as a digest but is not a
// valid one: an algorithm prefix ("sha256:", "sha512-") followed by
// something that is not a digest of that algorithm. Such literals are
// reported, never silently skipped.
func LooksLikeDigest(s string) bool {
	if _, ok := ParseDigest(s); ok {
		return false
	}
	name, _, _ := cutAlgorithm(s)
	return name != ""
}

// cutAlgorithm splits "sha256:rest" or "sha256-rest" (any case) into the
// algorithm name as written, the rest and the separator.
func cutAlgorithm(s string) (name, rest string, sep byte) {
	for _, a := range Algorithms {
		n := len(a)
		if len(s) > n && strings.EqualFold(s[:n], string(a)) && (s[n] == ':' || s[n] == '-') {
			return s[:n], s[n+1:], s[n]
		}
	}
	return "", "", 0
}

// Format writes hexDigest (a digest of d's algorithm, in hex of any case)
// in d's form: the same encoding, prefix and letter case.
func (d Digest) Format(hexDigest string) string {
	h := strings.ToLower(hexDigest)
	switch d.Encoding {
	case SRI:
		b, err := hex.DecodeString(h)
		if err != nil {
			return d.prefix + h
		}
		return d.prefix + base64.StdEncoding.EncodeToString(b)
	case PrefixedHex:
		if d.Upper {
			h = strings.ToUpper(h)
		}
		return d.prefix + h
	}
	if d.Upper {
		return strings.ToUpper(h)
	}
	return h
}

// String is the digest as written.
func (d Digest) String() string { return d.Format(d.Hex) }

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// isUpperHex reports hex with at least one letter and no lower-case one.
func isUpperHex(s string) bool {
	letter := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'f':
			return false
		case 'A' <= c && c <= 'F':
			letter = true
		}
	}
	return letter
}
