package issues

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/pin"
)

// state is the machine-readable record a tracking issue carries in a
// hidden block of its body, so the next run can tell what changed without
// any database.
type state struct {
	Version int `json:"v"`
	// Drift maps each drifted URL to the digest seen live.
	Drift map[string]driftState `json:"drift"`
	// Unreachable counts consecutive failed runs per URL.
	Unreachable map[string]int `json:"unreachable,omitempty"`
	// Missing maps each URL whose asset or release is gone to the asset's
	// name, so the next run can say which came back.
	Missing map[string]string `json:"missing,omitempty"`
	// Unread lists the manifests that could not be read, sorted, so the
	// next run can say which became readable.
	Unread []string `json:"unread,omitempty"`
	// Commit is the commit last verified.
	Commit string `json:"commit,omitempty"`
}

type driftState struct {
	Got      string   `json:"got"`
	Expected []string `json:"expected"`
	// FirstSeen is when a run first saw these bytes, RFC 3339.
	FirstSeen string `json:"first_seen,omitempty"`
	// Name is the asset's name, kept when the key is a hashed URL.
	Name string `json:"name,omitempty"`
}

// maxStateURL is the longest URL kept as itself in the state; a longer
// one is keyed by its SHA-256 (hashedKey + hex), so a junk URL cannot
// crowd the state out of the issue body.
const (
	maxStateURL = 1024
	hashedKey   = "sha256:"
)

// maxStateBytes bounds the encoded state: half an issue body, the other
// half for what people read.
const maxStateBytes = markdown.MaxBody / 2

func stateKey(url string) string {
	if len(url) <= maxStateURL {
		return url
	}
	sum := sha256.Sum256([]byte(url))
	return hashedKey + hex.EncodeToString(sum[:])
}

// driftStateKey keys a drift in the state: by the URL's key under sha256,
// as states have always been keyed, else by the URL's key and the
// algorithm apart by a space, which no URL holds.
func driftStateKey(url string, a pin.Algorithm) string {
	if a == "" || a == pin.SHA256 {
		return stateKey(url)
	}
	return stateKey(url) + " " + string(a)
}

// splitDriftStateKey returns the URL key and the algorithm of a drift's
// state key.
func splitDriftStateKey(k string) (string, pin.Algorithm) {
	if u, a, ok := strings.Cut(k, " "); ok {
		return u, pin.Algorithm(a)
	}
	return k, pin.SHA256
}

// fit drops entries, last keys first, until the encoded state is within
// limit bytes. Only a manifest with hundreds of drifted assets needs it;
// the entries dropped are then not tracked across runs (no first-seen
// time, no change comment), but the issue still lists them.
func (s state) fit(limit int) state {
	if len(s.encode()) <= limit {
		return s
	}
	out := state{Version: s.Version, Commit: s.Commit, Drift: map[string]driftState{}}
	size := len(out.encode())
	add := func(k string, v any) bool {
		b, _ := json.Marshal(map[string]any{k: v})
		size += len(b) // an upper bound: the braces stand in for the comma
		return size <= limit
	}
	for _, k := range slices.Sorted(maps.Keys(s.Drift)) {
		if !add(k, s.Drift[k]) {
			break
		}
		out.Drift[k] = s.Drift[k]
	}
	for _, k := range slices.Sorted(maps.Keys(s.Missing)) {
		if !add(k, s.Missing[k]) {
			break
		}
		if out.Missing == nil {
			out.Missing = map[string]string{}
		}
		out.Missing[k] = s.Missing[k]
	}
	for _, f := range s.Unread {
		if !add("", f) {
			break
		}
		out.Unread = append(out.Unread, f)
	}
	for _, k := range slices.Sorted(maps.Keys(s.Unreachable)) {
		if !add(k, s.Unreachable[k]) {
			break
		}
		if out.Unreachable == nil {
			out.Unreachable = map[string]int{}
		}
		out.Unreachable[k] = s.Unreachable[k]
	}
	return out
}

const (
	stateOpen  = "<!-- pindrift:state\n"
	stateClose = "\n-->"
)

func newState() state {
	return state{Version: 1, Drift: map[string]driftState{}}
}

// parseState reads the hidden block from an issue body; an issue without
// one (or with a damaged one) reads as empty, so the next run rewrites it.
func parseState(body string) state {
	s := newState()
	i := strings.Index(body, stateOpen)
	if i < 0 {
		return s
	}
	rest := body[i+len(stateOpen):]
	j := strings.Index(rest, stateClose)
	if j < 0 {
		return s
	}
	if err := json.Unmarshal([]byte(rest[:j]), &s); err != nil || s.Drift == nil {
		return newState()
	}
	return s
}

// encode writes the block with sorted keys, so equal states give equal
// bodies and an unchanged run edits nothing.
func (s state) encode() string {
	b, err := json.Marshal(s) // maps marshal with sorted keys
	if err != nil {
		// Only strings, ints and maps of them: Marshal cannot fail.
		panic(err)
	}
	return stateOpen + string(b) + stateClose
}

// driftKey is the identity of a drift set: which URLs drifted to which
// bytes from which pins. Comments are posted only when it changes.
func driftKey(m map[string]driftState) string {
	keys := make([]string, 0, len(m))
	for url, d := range m {
		exp := slices.Clone(d.Expected)
		sort.Strings(exp)
		keys = append(keys, url+"="+d.Got+"<"+strings.Join(exp, ","))
	}
	sort.Strings(keys)
	return strings.Join(keys, "\n")
}

// unreadKey is the identity of the set of manifests that could not be read.
func unreadKey(files []string) string { return strings.Join(files, "\n") }

// missingKey is the identity of the set of missing assets.
func missingKey(m map[string]string) string {
	return strings.Join(slices.Sorted(maps.Keys(m)), "\n")
}
