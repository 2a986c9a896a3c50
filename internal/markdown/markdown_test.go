package markdown_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/markdown/mdtest"
)

// hostile are strings an attacker puts in an asset name, a URL or a path.
var hostile = map[string]struct {
	in   string
	show string // what a reader must see, as code
}{
	"backtick":        {"a`b", "a`b"},
	"double backtick": {"``", "``"},
	"fence":           {"```", "```"},
	"leading tick":    {"`x", "`x"},
	"mention":         {"@alice", "@alice"},
	"reference":       {"#1", "#1"},
	"html":            {"<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"},
	"link":            {"[x](javascript:alert(1))", "[x](javascript:alert(1))"},
	"pipe":            {"a|b", "a|b"},
	"backslash pipe":  {`a\|b`, `a\|b`},
	"newline":         {"a\n@alice", `a\n@alice`},
	"crlf":            {"a\r\n| x |", `a\r\n| x |`},
	"bidi":            {"evil\u202egnp.exe", `evil\u202egnp.exe`},
	"not utf-8":       {"a\xffb", `a\xffb`},
	"spaces":          {" a ", " a "},
	"url":             {"https://evil.example/x", "https://evil.example/x"},
	"all at once":     {"`` @alice #1 <b>x</b> [x](javascript:alert(1)) a|b\n", "`` @alice #1 <b>x</b> [x](javascript:alert(1)) a|b\\n"},
}

func TestCellIsInert(t *testing.T) {
	t.Parallel()
	for name, tc := range hostile {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src := "| Asset | Digest |\n|---|---|\n| " + markdown.Cell(tc.in) + " | `abc` |\n\n- **drift** " + markdown.Code(tc.in) + ": changed\n"
			d := mdtest.Parse(src)
			if diff := cmp.Diff([][]int{{2, 2}}, d.Tables); diff != "" {
				t.Errorf("table shape (-want +got):\n%s\n%s", diff, src)
			}
			if want := []string{tc.show, "abc", tc.show}; !cmp.Equal(want, d.Code) {
				t.Errorf("code shown %q, want %q\n%s", d.Code, want, src)
			}
			if len(d.HTML) != 0 || len(d.Links) != 0 {
				t.Errorf("HTML %q, links %q from\n%s", d.HTML, d.Links, src)
			}
			for _, p := range d.Prose {
				if p != "drift : changed" && p != "Asset" && p != "Digest" {
					t.Errorf("prose %q from\n%s", p, src)
				}
			}
		})
	}
}

func TestBlockCannotBeClosed(t *testing.T) {
	t.Parallel()
	for name, tc := range hostile {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src := markdown.Block("", 0, tc.in, "after") + "\ntrailing prose\n"
			d := mdtest.Parse(src)
			if want := []string{tc.show + "\nafter\n"}; !cmp.Equal(want, d.Code) {
				t.Errorf("code %q, want %q\n%s", d.Code, want, src)
			}
			if !cmp.Equal([]string{"trailing prose"}, d.Prose) {
				t.Errorf("prose %q\n%s", d.Prose, src)
			}
		})
	}
}

func TestTitle(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ in, want string }{
		"plain":     {"vmlinux-amd64.elf", "vmlinux-amd64.elf"},
		"mention":   {"@alice", "@\u2060alice"},
		"reference": {"acme/x#1 GH-2", "acme/x#\u20601 GH-2"},
		"newline":   {"a\nb", `a\nb`},
	}
	for name, tc := range tests {
		if got := markdown.Title(tc.in, markdown.MaxTitle); got != tc.want {
			t.Errorf("%s: Title(%q) = %q, want %q", name, tc.in, got, tc.want)
		}
	}
	if got := markdown.TitleCode("a`b", 100); got != "``a`b``" {
		t.Errorf("TitleCode = %q", got)
	}
}

func TestShorten(t *testing.T) {
	t.Parallel()
	long := "https://github.com/acme/images/releases/download/v1/" + strings.Repeat("a", 70_000) + "/vmlinux"
	got := markdown.Shorten(long, 200)
	if n := utf8.RuneCountInString(got); n > 200 {
		t.Errorf("shortened to %d characters, want at most 200", n)
	}
	if !strings.HasPrefix(got, "https://github.com/acme/") || !strings.HasSuffix(got, "/vmlinux") || !strings.Contains(got, "characters cut]") {
		t.Errorf("Shorten kept %q", got)
	}
	if s := "short"; markdown.Shorten(s, 200) != s {
		t.Error("a short string was changed")
	}
	if n := utf8.RuneCountInString(markdown.Code(long)); n > markdown.MaxInline+2 {
		t.Errorf("Code of a 70,000-character URL is %d characters", n)
	}
}

func TestClip(t *testing.T) {
	t.Parallel()
	s := strings.Repeat("é", 40_000) // 80,000 bytes
	got := markdown.Clip(s, markdown.MaxAnnotationMessage)
	if len(got) > markdown.MaxAnnotationMessage || !utf8.ValidString(got) || !strings.HasSuffix(got, "bytes cut]") {
		t.Errorf("Clip gave %d bytes, valid %v, ending %q", len(got), utf8.ValidString(got), got[len(got)-20:])
	}
	if markdown.Clip("abc", 10) != "abc" {
		t.Error("a short string was changed")
	}
}

func TestURL(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ in, want string }{
		"release page": {"https://github.com/acme/images/releases/tag/v1", "https://github.com/acme/images/releases/tag/v1"},
		"javascript":   {"javascript:alert(1)", ""},
		"parenthesis":  {"https://github.com/a/b/releases/tag/x)(y", "https://github.com/a/b/releases/tag/x%29%28y"},
		"space":        {"https://x.example/a b<c>", "https://x.example/a%20b%3Cc%3E"},
	}
	for name, tc := range tests {
		if got := markdown.URL(tc.in); got != tc.want {
			t.Errorf("%s: URL(%q) = %q, want %q", name, tc.in, got, tc.want)
		}
	}
	d := mdtest.Parse(markdown.Link(markdown.Code("x](javascript:alert(1))"), "https://github.com/a/b/releases/tag/x)[y](javascript:z)") + "\n")
	if len(d.Links) != 1 || strings.Contains(d.Links[0], "javascript:z") && !strings.HasPrefix(d.Links[0], "https://github.com/") {
		t.Errorf("links %q", d.Links)
	}
}

func TestBlockWithin(t *testing.T) {
	t.Parallel()
	var lines []string
	for i := 0; i < 1000; i++ {
		lines = append(lines, fmt.Sprintf("line %03d %s", i, strings.Repeat("x", 90)))
	}
	got := markdown.BlockWithin("", 0, 10_000, lines...)
	if len(got) > 10_000 {
		t.Errorf("block is %d bytes, over its budget", len(got))
	}
	d := mdtest.Parse(got)
	if len(d.Code) != 1 || !strings.Contains(d.Code[0], "line 000") {
		t.Fatalf("not one code block: %q", d.Code)
	}
	shown := strings.Count(d.Code[0], "line ")
	if want := fmt.Sprintf("…[%d more lines cut]", 1000-shown); !strings.Contains(d.Code[0], want) {
		t.Errorf("block does not end with %q:\n…%s", want, got[len(got)-200:])
	}
	if markdown.BlockWithin("", 0, 5, "x") != "" {
		t.Error("a block that cannot fit is not empty")
	}
}

func TestTitleKeepsItsLimit(t *testing.T) {
	t.Parallel()
	for name, s := range map[string]string{
		"mentions":  strings.Repeat("@a", 300),
		"backticks": strings.Repeat("`", 300),
		"long":      strings.Repeat("x", 70_000),
	} {
		for _, f := range []func(string, int) string{markdown.Title, markdown.TitleCode} {
			got := f(s, 200)
			if n := utf8.RuneCountInString(got); n > 200 {
				t.Errorf("%s: %d characters, want at most 200", name, n)
			}
			if strings.Contains(got, "@a") {
				t.Errorf("%s: a mention is left in %q", name, got)
			}
		}
	}
}
