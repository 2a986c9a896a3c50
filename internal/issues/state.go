package issues

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
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
	// Commit is the commit last verified.
	Commit string `json:"commit,omitempty"`
}

type driftState struct {
	Got      string   `json:"got"`
	Expected []string `json:"expected"`
	// FirstSeen is when a run first saw these bytes, RFC 3339.
	FirstSeen string `json:"first_seen,omitempty"`
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
