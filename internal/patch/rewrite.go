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

// locateDigits finds the pinned SHA inside the literal at span: the text
// must be a Python string literal (optional prefix, matching quotes) whose
// content holds sha exactly once, in any letter case. It returns the offset
// of the digits in src and the digits as written.
func locateDigits(src []byte, span pin.Span, sha string) (int, string, error) {
	if span.Start < 0 || span.End > len(src) || span.Start >= span.End {
		return 0, "", fmt.Errorf("the span %d-%d lies outside the %d-byte file", span.Start, span.End, len(src))
	}
	text := string(src[span.Start:span.End])
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
	if quote == "" || pfx > 2 || len(text) < pfx+2*len(quote) || !strings.HasSuffix(text, quote) {
		return 0, "", fmt.Errorf("the source text %q is not a string literal", truncate(text, 80))
	}
	open := pfx + len(quote)
	content := text[open : len(text)-len(quote)]
	lower, want := strings.ToLower(content), strings.ToLower(sha)
	switch n := strings.Count(lower, want); n {
	case 1:
	case 0:
		return 0, "", fmt.Errorf("the literal %s does not contain the pinned SHA-256 %s", truncate(text, 80), sha)
	default:
		return 0, "", fmt.Errorf("the literal %s contains the pinned SHA-256 %d times", truncate(text, 80), n)
	}
	i := strings.Index(lower, want)
	return span.Start + open + i, content[i : i+len(sha)], nil
}

// apply returns a copy of src with each edit's new digits written over its
// old ones; lengths are equal, so no other offset moves.
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
