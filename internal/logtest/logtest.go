// Package logtest reads zerolog's JSON log lines in tests. It counts each
// key as written, which decoding into a map would hide: zerolog writes a
// field added twice (once by the caller, once again below) twice.
package logtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// Forbidden are the log keys pindrift used before it settled on
// go-githubapp's githubapp.LogKey* names; none may come back.
var Forbidden = []string{"repository", "installation", "installation_id", "delivery", "delivery_id", "owner", "repo"}

// Lines returns the lines of logs whose message is msg, in order.
func Lines(t testing.TB, logs, msg string) []string {
	t.Helper()
	var out []string
	for l := range strings.Lines(logs) {
		var m struct {
			Message string `json:"message"`
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %v\n%s", err, l)
		}
		if m.Message == msg {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return out
}

// KeyCounts counts how often each key of one JSON object is written.
func KeyCounts(line string) (map[string]int, error) {
	dec := json.NewDecoder(strings.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object: %q", line)
	}
	counts := map[string]int{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("key %v is not a string", tok)
		}
		counts[key]++
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, fmt.Errorf("value of %s: %w", key, err)
		}
	}
	return counts, nil
}

// CheckKeys fails t unless each key of once is written exactly once in
// line and no key of Forbidden is written at all.
func CheckKeys(t testing.TB, line string, once ...string) {
	t.Helper()
	counts, err := KeyCounts(line)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range once {
		if counts[k] != 1 {
			t.Errorf("log key %s written %d times, want once:\n%s", k, counts[k], line)
		}
	}
	for _, k := range Forbidden {
		if counts[k] != 0 {
			t.Errorf("log key %s written; go-githubapp's name is the one to use:\n%s", k, line)
		}
	}
}

// Buffer collects log lines written from several goroutines (a server's
// handlers, a queue's workers).
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
