package python

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/pindrift/pindrift/internal/pin"
)

// checkEncoding refuses source CPython would refuse to read (NUL bytes,
// bytes that are not UTF-8: pindrift reads no encoding declarations), and
// turns each lone carriage return into a newline, as CPython's universal
// newlines do: tree-sitter would otherwise read an old-Mac file as one
// long first line, a comment. The result has the same length, so spans
// stay valid in the original file.
func checkEncoding(file string, src []byte) ([]byte, error) {
	if i := bytes.IndexByte(src, 0); i >= 0 {
		line, col := lineCol(src, i)
		return nil, &pin.SyntaxError{File: file, Line: line, Column: col, Msg: "source code cannot contain null bytes"}
	}
	if !utf8.Valid(src) {
		i := firstInvalidUTF8(src)
		line, col := lineCol(src, i)
		return nil, &pin.SyntaxError{File: file, Line: line, Column: col,
			Msg: fmt.Sprintf("byte 0x%02x is not UTF-8 (pindrift reads manifests as UTF-8 and ignores encoding declarations)", src[i])}
	}
	if bytes.IndexByte(src, '\r') < 0 {
		return src, nil
	}
	out := bytes.Clone(src)
	for i, c := range out {
		if c == '\r' && (i+1 == len(out) || out[i+1] != '\n') {
			out[i] = '\n'
		}
	}
	return out, nil
}

func firstInvalidUTF8(src []byte) int {
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return 0
}

// lineCol is the 1-based line and byte column of offset i.
func lineCol(src []byte, i int) (int, int) {
	line := 1 + bytes.Count(src[:i], []byte{'\n'})
	return line, i - (bytes.LastIndexByte(src[:i], '\n') + 1) + 1
}
