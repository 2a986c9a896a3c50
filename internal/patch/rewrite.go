package patch

import (
	"fmt"
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
)

// edit is a planned change and how many drifted pins it fixes.
type edit struct {
	change  Change
	drifted int
}

// locateDigest finds the pinned digest want inside the literal at span and
// returns its offset in src, its text as written and that text's form, in
// which the new digest is written. The text must be a string literal
// (optional prefix, matching quotes) or a bare digest (a plain YAML scalar),
// and what lies between the quotes must be the digest in any encoding, or
// hold its hex exactly once in any letter case.
func locateDigest(src []byte, span pin.Span, want pin.Key) (int, string, pin.Digest, error) {
	if span.Start < 0 || span.End > len(src) || span.Start >= span.End {
		return 0, "", pin.Digest{}, fmt.Errorf("the span %d-%d lies outside the %d-byte file", span.Start, span.End, len(src))
	}
	text := string(src[span.Start:span.End])
	open, content, ok := literalContent(text)
	if !ok {
		return 0, "", pin.Digest{}, fmt.Errorf("the source text %q is not a string literal", truncate(text, 80))
	}
	if d, ok := pin.ParseDigest(content); ok && (pin.Key{Algorithm: d.Algorithm, Hex: d.Hex}) == want {
		return span.Start + open, content, d, nil
	}
	name := want.Algorithm.Title()
	lower := strings.ToLower(content)
	switch n := strings.Count(lower, want.Hex); n {
	case 1:
	case 0:
		return 0, "", pin.Digest{}, fmt.Errorf("the literal %s does not contain the pinned %s %s", truncate(text, 80), name, want.Hex)
	default:
		return 0, "", pin.Digest{}, fmt.Errorf("the literal %s contains the pinned %s %d times", truncate(text, 80), name, n)
	}
	i := strings.Index(lower, want.Hex)
	written := content[i : i+len(want.Hex)]
	d, ok := pin.ParseDigest(written)
	if !ok || d.Algorithm != want.Algorithm {
		return 0, "", pin.Digest{}, fmt.Errorf("the literal %s holds %s, not a %s digest", truncate(text, 80), written, name)
	}
	return span.Start + open + i, written, d, nil
}

// literalContent splits a string literal into the offset of its content
// and the content. Text without quotes is its own content when it is a
// digest by itself.
func literalContent(text string) (int, string, bool) {
	pfx := 0
	for pfx < len(text) && (text[pfx] >= 'a' && text[pfx] <= 'z' || text[pfx] >= 'A' && text[pfx] <= 'Z') {
		pfx++
	}
	var quote string
	for _, q := range []string{`"""`, `'''`, `"`, `'`} {
		if strings.HasPrefix(text[pfx:], q) {
			quote = q
			break
		}
	}
	if quote == "" {
		_, ok := pin.ParseDigest(text)
		return 0, text, ok
	}
	if pfx > 2 || len(text) < pfx+2*len(quote) || !strings.HasSuffix(text, quote) {
		return 0, "", false
	}
	open := pfx + len(quote)
	return open, text[open : len(text)-len(quote)], true
}

// apply returns a copy of src with each edit's new digest written over its
// old one; lengths are equal, so no other offset moves.
func apply(src []byte, edits []edit) []byte {
	out := make([]byte, len(src))
	copy(out, src)
	for _, e := range edits {
		copy(out[e.change.At:e.change.At+len(e.change.New)], e.change.New)
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
