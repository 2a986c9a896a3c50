package demo

import (
	"regexp"
	"strings"
)

// The issue and pull request bodies are GitHub Markdown written by
// internal/issues and internal/patch/fixpr. markdown shows them in a
// terminal the way GitHub shows them on a page, for the constructs those
// renderers use; anything else passes through as written:
//
//   - what GitHub does not show is dropped: HTML comments (pindrift's
//     marker and state block), <details> tags (the summary stays), and
//     link targets, which point at the fake GitHub on loopback;
//   - a table becomes one block per row, "Header: cell" per line, since
//     a five-column row of digests and links is wider than a terminal;
//   - code blocks are indented, diff lines coloured;
//   - with colour, headings, emphasis, inline code, quotes and alerts are
//     styled and their Markdown marks removed; without, the marks stay,
//     so plain output is still the Markdown a maintainer would read.
//
// A general renderer (charmbracelet/glamour v1.0.0) was tried: it brings
// about twenty modules (chroma, goldmark, bluemonday, lipgloss, ...) and
// 11 MB of binary for a demo, dropped the table cells' <br> and squeezed
// the tracking issue's table into 16-character columns.
func markdown(src string, st style) string {
	src = htmlComment.ReplaceAllString(src, "")
	lines := strings.Split(strings.TrimRight(src, "\n"), "\n")
	var out []string
	blank := true // collapse the blank runs the dropped parts leave
	emit := func(l string) {
		if strings.TrimSpace(l) == "" {
			if blank {
				return
			}
			blank = true
			out = append(out, "")
			return
		}
		blank = false
		out = append(out, l)
	}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		trimmed := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(trimmed, "```"):
			lang := strings.TrimPrefix(trimmed, "```")
			for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
				emit("    " + codeLine(lines[i], lang, st))
			}
		case isTableRow(l) && i+1 < len(lines) && tableSep.MatchString(lines[i+1]):
			header := cells(l)
			for i += 2; i < len(lines) && isTableRow(lines[i]); i++ {
				for j, c := range cells(lines[i]) {
					name := ""
					if j < len(header) {
						name = inline(header[j], st) + ": "
					}
					bullet := "  "
					if j == 0 {
						bullet = bulletMark(st)
					}
					emit(bullet + st.dim(name) + inline(cellText(c), st))
				}
				emit("")
			}
			i--
		case detailsOpen.MatchString(trimmed):
			emit(st.bold("▸ " + inline(detailsOpen.FindStringSubmatch(trimmed)[1], st)))
		case trimmed == "</details>":
		case heading.MatchString(l):
			m := heading.FindStringSubmatch(l)
			if st.color {
				emit(st.heading(inline(m[2], st)))
			} else {
				emit(m[1] + " " + inline(m[2], st))
			}
		case strings.HasPrefix(l, ">"):
			q := strings.TrimSpace(strings.TrimPrefix(l, ">"))
			if m := alert.FindStringSubmatch(q); m != nil {
				q = st.yellow(st.bold(strings.ToUpper(m[1][:1]) + strings.ToLower(m[1][1:])))
			} else {
				q = inline(q, st)
			}
			if st.color {
				emit(st.yellow("▌ ") + q)
			} else {
				emit("> " + q)
			}
		case trimmed == "---":
			emit(st.dim(strings.Repeat("─", 40)))
		case strings.HasPrefix(l, "- "):
			emit(bulletMark(st) + inline(strings.TrimPrefix(l, "- "), st))
		default:
			emit(inline(l, st))
		}
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
}

var (
	htmlComment = regexp.MustCompile(`(?s)<!--.*?-->\n?`)
	tableSep    = regexp.MustCompile(`^\s*\|(\s*:?-+:?\s*\|)+\s*$`)
	detailsOpen = regexp.MustCompile(`^<details><summary>(.*)</summary>$`)
	heading     = regexp.MustCompile(`^(#{1,6})\s+(.*)$`)
	alert       = regexp.MustCompile(`^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]$`)
)

func bulletMark(st style) string {
	if st.color {
		return "• "
	}
	return "- "
}

func isTableRow(l string) bool {
	t := strings.TrimSpace(l)
	return strings.HasPrefix(t, "|") && strings.HasSuffix(t, "|")
}

// cells splits a table row on the pipes that are not inside a code span.
func cells(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimSuffix(strings.TrimPrefix(row, "|"), "|")
	var out []string
	var cur strings.Builder
	inCode := false
	for _, r := range row {
		switch {
		case r == '`':
			inCode = !inCode
		case r == '|' && !inCode:
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
			continue
		}
		cur.WriteRune(r)
	}
	return append(out, strings.TrimSpace(cur.String()))
}

// cellText joins a cell's <br>-separated lines: "old →<br>new" reads
// "old → new", other breaks become commas.
func cellText(c string) string {
	c = strings.ReplaceAll(c, "→<br>", "→ ")
	return strings.ReplaceAll(c, "<br>", ", ")
}

func codeLine(l, lang string, st style) string {
	if lang != "diff" {
		return l
	}
	switch {
	case strings.HasPrefix(l, "+"):
		return st.green(l)
	case strings.HasPrefix(l, "-"):
		return st.red(l)
	}
	return l
}

// inline renders code spans, **bold** and [links](target) within a line.
func inline(s string, st style) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case s[i] == '`':
			if end := strings.IndexByte(s[i+1:], '`'); end >= 0 {
				b.WriteString(st.code(s[i+1 : i+1+end]))
				i += end + 2
				continue
			}
		case strings.HasPrefix(s[i:], "**"):
			if end := strings.Index(s[i+2:], "**"); end >= 0 {
				inner := inline(s[i+2:i+2+end], st)
				if st.color {
					b.WriteString(st.bold(inner))
				} else {
					b.WriteString("**" + inner + "**")
				}
				i += end + 4
				continue
			}
		case s[i] == '[':
			if text, n, ok := link(s[i:]); ok {
				b.WriteString(inline(text, st))
				i += n
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// link parses "[text](target)" at the start of s, returning the text and
// the length consumed.
func link(s string) (string, int, bool) {
	depth, inCode := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '`':
			inCode = !inCode
		case '[':
			if !inCode {
				depth++
			}
		case ']':
			if inCode {
				continue
			}
			depth--
			if depth > 0 {
				continue
			}
			if i+1 >= len(s) || s[i+1] != '(' {
				return "", 0, false
			}
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				return "", 0, false
			}
			return s[1:i], i + 2 + end + 1, true
		}
	}
	return "", 0, false
}
