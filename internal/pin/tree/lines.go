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

// cursor turns the (line, rune column) positions of a parser that counts
// characters into byte offsets. It resumes from the last position asked
// when the next is further on the same line, so that positions asked in
// document order cost linear time even on one long line (a flow document
// of a million nodes).
type cursor struct {
	src       []byte
	lines     lineIndex
	line, col int
	at        int
	// steps counts the characters stepped over, for the test that keeps
	// the cost linear.
	steps int
}

// offset is the byte offset of 1-based line and rune column col.
func (c *cursor) offset(line, col int) int {
	if line < 1 || line > len(c.lines) {
		return len(c.src)
	}
	if line != c.line || col < c.col {
		c.line, c.col, c.at = line, 1, c.lines[line-1]
	}
	for ; c.col < col && c.at < len(c.src) && c.src[c.at] != '\n'; c.col++ {
		c.steps++
		if c.src[c.at] < utf8.RuneSelf {
			c.at++
			continue
		}
		_, n := utf8.DecodeRune(c.src[c.at:])
		c.at += n
	}
	return c.at
}
