package demo

import "strings"

// style colours the story with ANSI escapes, or leaves it plain (not a
// terminal, --no-color, NO_COLOR).
type style struct{ color bool }

func (s style) wrap(code, text string) string {
	if !s.color || text == "" {
		return text
	}
	on := "\x1b[" + code + "m"
	// A style nested inside (inline code in a bold title) ends with a
	// reset; this one starts again after it.
	return on + strings.ReplaceAll(text, reset, reset+on) + reset
}

const reset = "\x1b[0m"

func (s style) bold(t string) string    { return s.wrap("1", t) }
func (s style) dim(t string) string     { return s.wrap("2", t) }
func (s style) red(t string) string     { return s.wrap("31", t) }
func (s style) green(t string) string   { return s.wrap("32", t) }
func (s style) yellow(t string) string  { return s.wrap("33", t) }
func (s style) cyan(t string) string    { return s.wrap("36", t) }
func (s style) heading(t string) string { return s.wrap("1;34", t) }

// code shows an inline code span: coloured without its backticks, or
// with them when plain, as Markdown reads.
func (s style) code(t string) string {
	if !s.color {
		return "`" + t + "`"
	}
	return s.cyan(t)
}

// state colours an issue's or pull request's state the way GitHub does:
// green open, purple-ish closed (magenta here).
func (s style) state(st string) string {
	switch st {
	case "open":
		return s.wrap("1;32", st)
	case "closed":
		return s.wrap("1;35", st)
	}
	return st
}

// conclusion colours a check run's conclusion.
func (s style) conclusion(c string) string {
	switch c {
	case "success":
		return s.wrap("1;32", c)
	case "failure":
		return s.wrap("1;31", c)
	}
	return s.yellow(c)
}

// indent prefixes every non-empty line of text.
func indent(text, prefix string) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}
