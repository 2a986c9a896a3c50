package markdown

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxInline is how many characters of one untrusted string are shown in
// running text; longer strings are cut in the middle (see Shorten). It is
// far above any real release URL (about 150 characters) and far below
// GitHub's 65,536-character bodies.
const MaxInline = 400

// Code quotes s as an inline code span, on one line and shortened to
// MaxInline characters. The empty string gives "".
func Code(s string) string {
	return span(Shorten(OneLine(s), MaxInline))
}

// Cell is Code for a table cell: a | in s is escaped so it does not end
// the cell.
func Cell(s string) string {
	return strings.ReplaceAll(Code(s), "|", `\|`)
}

// span wraps s, which holds no newline, in a code span whose fence is
// longer than any run of backticks in s. CommonMark strips one space from
// each end of a span's content when both ends have one; the padding added
// for a leading or trailing backtick (or for text already padded) is what
// gets stripped, so the text shows exactly.
func span(s string) string {
	if s == "" {
		return ""
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") ||
		(strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ") && strings.Trim(s, " ") != "") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// Block returns a fenced code block holding lines, each made one line and
// shortened to limit characters (0: no shortening). The fence is longer
// than any run of backticks in the lines, so no line can close it. info is
// the fence's info string ("diff", or ""); it is pindrift's own, never
// untrusted.
func Block(info string, limit int, lines ...string) string {
	return BlockWithin(info, limit, -1, lines...)
}

// BlockWithin is Block held to budget bytes in all (no bound when budget
// is negative): the lines that do not fit are left out and a last line
// says how many. It returns "" when not even that fits.
func BlockWithin(info string, limit, budget int, lines ...string) string {
	safe := make([]string, len(lines))
	run := 2
	for i, l := range lines {
		l = OneLine(l)
		if limit > 0 {
			l = Shorten(l, limit)
		}
		safe[i] = l
		run = max(run, longestRun(l, '`'))
	}
	fence := strings.Repeat("`", run+1)
	var b strings.Builder
	b.WriteString(fence + info + "\n")
	for i, l := range safe {
		if budget >= 0 {
			// Room for this line, a note on what follows, and the fence.
			note := len(fmt.Sprintf("…[%d more lines cut]\n", len(safe)-i))
			last := i == len(safe)-1
			need := b.Len() + len(l) + 1 + len(fence) + 1
			if !last {
				need += note
			}
			if need > budget {
				if b.Len()+note+len(fence)+1 > budget {
					return ""
				}
				fmt.Fprintf(&b, "…[%d more lines cut]\n", len(safe)-i)
				break
			}
		}
		b.WriteString(l + "\n")
	}
	b.WriteString(fence + "\n")
	return b.String()
}

// OneLine shows control and other invisible formatting characters in s as
// Go escapes (\n, \t, \u202e, \xff for a byte that is not UTF-8), so s
// stays on one line and reads as what it is. Spaces stay.
func OneLine(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r == utf8.RuneError || !visible(r) }) < 0 {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case !visible(r):
			if r < 0x10000 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		default:
			b.WriteRune(r)
		}
		s = s[n:]
	}
	return b.String()
}

// visible reports runes shown as themselves: printable ones and the plain
// space. Format characters (Cf: bidi controls, zero-width joiners) and
// separators other than the space are not.
func visible(r rune) bool {
	return r == ' ' || (unicode.IsPrint(r) && !unicode.Is(unicode.Cf, r))
}

// Shorten cuts s to at most limit characters (runes) by taking out its
// middle, where a marker says how many characters were taken out; both
// ends stay, since a URL's host and its file name are what a reader needs.
// A limit below 40 is taken as 40, to leave room for the marker.
func Shorten(s string, limit int) string {
	limit = max(limit, 40)
	n := utf8.RuneCountInString(s)
	if n <= limit {
		return s
	}
	// The marker's length depends on the count it shows; size it for the
	// worst case (every character of s cut).
	marker := func(cut int) string { return fmt.Sprintf("…[%d characters cut]…", cut) }
	keep := limit - utf8.RuneCountInString(marker(n))
	head, tail := keep*2/3, keep-keep*2/3
	rs := []rune(s)
	return string(rs[:head]) + marker(n-head-tail) + string(rs[n-tail:])
}

// Title makes untrusted text safe in an issue or pull request title, which
// GitHub shows as plain text but in which it links #1 and @alice: a WORD
// JOINER (U+2060, invisible) follows every @ and #, control characters
// are escaped, and the result is at most limit characters.
func Title(s string, limit int) string {
	s = strings.ReplaceAll(OneLine(s), "@", "@\u2060")
	s = strings.ReplaceAll(s, "#", "#\u2060")
	// Shortening after the joiners are in keeps the limit; a cut that
	// separates an @ from its joiner leaves the @ before the marker, which
	// cannot start a mention.
	return Shorten(s, limit)
}

// TitleCode is Title for text shown as code in a title (GitHub renders
// `code` in issue and PR titles): a fence longer than any backtick run in
// the text, so a backtick in an asset name cannot end the code early, and
// at most limit characters in all.
func TitleCode(s string, limit int) string {
	for lim := limit - 2; lim >= 40; lim -= 10 {
		if c := span(Title(s, lim)); utf8.RuneCountInString(c) <= limit {
			return c
		}
	}
	// Backticks enough to need a fence longer than the title allows: shown
	// as quotes instead.
	return span(Title(strings.ReplaceAll(s, "`", "'"), limit-2))
}

// Plain bounds plain text that GitHub shows as it is (an annotation's
// title or message): it keeps line breaks, escapes other control
// characters and cuts s to limit bytes, on a rune boundary, with a marker.
// Bytes, not characters, since some of GitHub's limits (an annotation's
// message, 64 KB) are in bytes.
func Plain(s string, limit int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = OneLine(l)
	}
	return Clip(strings.Join(lines, "\n"), limit)
}

// Clip cuts s to at most limit bytes, on a rune boundary, ending with a
// marker that says how many bytes were cut.
func Clip(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	// Sized for the worst case, every byte cut.
	keep := max(limit-len(fmt.Sprintf("…[%d bytes cut]", len(s))), 0)
	for keep > 0 && !utf8.RuneStart(s[keep]) {
		keep--
	}
	return s[:keep] + fmt.Sprintf("…[%d bytes cut]", len(s)-keep)
}

// URL returns u for use as a link destination, or "" when it must not be
// one: only http and https links, and the characters that could end the
// destination or the link ((, ), <, >, space, quotes, backslash, control
// characters) percent-encoded.
func URL(u string) string {
	lower := strings.ToLower(u)
	if !strings.HasPrefix(lower, "https://") && !strings.HasPrefix(lower, "http://") {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>"'\`+"`|[]", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Link writes a link whose text is the Markdown text (already safe, e.g.
// from Code) and whose destination is u; when u cannot be a link (see URL)
// or is too long to be worth one, the text alone.
func Link(text, u string) string {
	dest := URL(u)
	if dest == "" || len(dest) > 2*MaxInline {
		return text
	}
	return "[" + text + "](" + dest + ")"
}

func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

// loginRE is what GitHub allows in a login: letters, digits and single
// hyphens, at most 39, and "[bot]" after an App's.
var loginRE = regexp.MustCompile(`^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}(?:\[bot\])?$`)

// Login names a GitHub user by a link to their profile under web, never
// an @-mention, which would notify them on every edit of the text. A login
// GitHub would not allow is shown as code instead.
func Login(web, login string) string {
	if !loginRE.MatchString(login) {
		return Code(login)
	}
	text := strings.NewReplacer("[", `\[`, "]", `\]`).Replace(login)
	return Link(text, strings.TrimRight(web, "/")+"/"+login)
}
