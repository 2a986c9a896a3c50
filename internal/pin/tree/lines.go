package tree

import (
	"sort"
	"unicode/utf8"

	"github.com/pindrift/pindrift/internal/pin"
)

// lineIndex holds the offset where each line starts.
type lineIndex []int

func newLineIndex(src []byte) lineIndex {
	ix := lineIndex{0}
	for i, c := range src {
		if c == '\n' {
			ix = append(ix, i+1)
		}
	}
	return ix
}

// span locates src[start:end], Line and Column (in bytes) 1-based.
func (ix lineIndex) span(start, end int) pin.Span {
	line := sort.Search(len(ix), func(i int) bool { return ix[i] > start }) - 1
	return pin.Span{Start: start, End: end, Line: line + 1, Column: start - ix[line] + 1}
}

// offset is the byte offset of 1-based line and rune column col.
func (ix lineIndex) offset(src []byte, line, col int) int {
	if line < 1 || line > len(ix) {
		return len(src)
	}
	at := ix[line-1]
	for c := 1; c < col && at < len(src) && src[at] != '\n'; c++ {
		_, n := utf8.DecodeRune(src[at:])
		at += n
	}
	return at
}
