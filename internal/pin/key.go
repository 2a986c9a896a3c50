package pin

import "strings"

// Key is what a pin promises, in a form to compare: two pins promise the
// same bytes exactly when their keys are equal, however each is written.
type Key struct {
	Algorithm Algorithm
	// Hex is the digest in lowercase hexadecimal.
	Hex string
}

// Key returns what p promises. A pin whose Algorithm is not set (built
// by hand, or decoded from a report written before pins had one) is read
// from SHA256, as every pin was sha256 hex then.
func (p Pin) Key() Key {
	if p.Algorithm != "" {
		return Key{Algorithm: p.Algorithm, Hex: strings.ToLower(p.Digest)}
	}
	if d, ok := ParseDigest(p.SHA256); ok {
		return Key{Algorithm: d.Algorithm, Hex: d.Hex}
	}
	return Key{Algorithm: SHA256, Hex: strings.ToLower(p.SHA256)}
}

// OrSHA256 is a, or sha256 when a is empty: what a digest recorded
// before pins had an algorithm (an old report, a hand-built outcome) is.
func (a Algorithm) OrSHA256() Algorithm {
	if a == "" {
		return SHA256
	}
	return a
}

// Title is the algorithm's name as prose writes it: "SHA-256" (also for
// the empty algorithm, see OrSHA256).
func (a Algorithm) Title() string {
	a = a.OrSHA256()
	if name, bits, ok := strings.Cut(string(a), "sha"); ok && name == "" && bits != "" {
		return "SHA-" + bits
	}
	return strings.ToUpper(string(a))
}

// Naming names in prose what a list of digests is of: the Title of their
// one algorithm ("SHA-512"), "digest" when they are of several, and
// "SHA-256" when there are none (what every pin was before algorithms).
func Naming(algs []Algorithm) string {
	if len(algs) == 0 {
		return SHA256.Title()
	}
	for _, a := range algs[1:] {
		if a != algs[0] {
			return "digest"
		}
	}
	return algs[0].Title()
}

// String writes k for a reader: bare hex for sha256, as pindrift always
// has, "<algorithm>:<hex>" for the others.
func (k Key) String() string {
	if k.Algorithm == "" || k.Algorithm == SHA256 || k.Hex == "" {
		return k.Hex
	}
	return string(k.Algorithm) + ":" + k.Hex
}

// Shown is p's digest for a reader: a sha256 pin as the file writes it,
// any other as its Key's String.
func (p Pin) Shown() string {
	if p.SHA256 != "" {
		return p.SHA256
	}
	return p.Key().String()
}
