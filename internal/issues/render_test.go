package issues

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pindrift/pindrift/internal/markdown/mdtest"
	"github.com/pindrift/pindrift/internal/verify"
)

// allowedHTML is the HTML the tracking issue itself writes.
var allowedHTML = []string{"<!-- pindrift:", "<br>", "<details><summary>Full digests", "</details>"}

// TestRenderIsInert: an asset name, URL, release tag, manifest path,
// uploader and error message full of Markdown show as code in the issue
// body and its comments: no mention, no reference, no HTML, no link, no
// broken table.
func TestRenderIsInert(t *testing.T) {
	h := mdtest.Hostile
	d := kernelDrift('c')
	d.URL = "https://github.com/acme/images/releases/download/" + h + "/" + h
	d.Asset.Name, d.Asset.ReleaseTag, d.Asset.Uploader = h, h, "@alice"
	d.Asset.ReleaseURL = "https://github.com/acme/images/releases/tag/x)[y](javascript:alert(1))"
	d.Asset.Immutable = true
	for i := range d.Pins {
		d.Pins[i].Path += h
		d.Pins[i].Symbol = h
	}
	r := run(0, []Drift{d}, Problem{Status: verify.StatusMissing, URL: h, Message: h, Pins: d.Pins[:1]},
		Problem{Status: verify.StatusUnresolved, Message: h, Pins: []PinRef{{File: "src/images/published.py", Line: 3, Path: h}}})
	r.Trigger = "release " + h + " edited"
	r.FixBlocked = "see `x`."

	g := &github{}
	p := Decide(r, g.existing(), Config{})
	if p.Create == nil {
		t.Fatalf("plan %+v creates no issue", p)
	}
	g.apply(p)
	// The drift changes (new bytes): a comment names the asset.
	d.Got = sha('e')
	r.Drift = []Drift{d}
	p = Decide(r, g.existing(), Config{})
	if p.Comment == nil {
		t.Fatalf("plan %+v comments nothing", p)
	}
	for what, md := range map[string]string{"body": p.Edit.Body, "comment": p.Comment.Body} {
		if probs := mdtest.Problems(md, "https://github.com/", allowedHTML...); len(probs) != 0 {
			t.Errorf("%s:\n%s\n%s", what, strings.Join(probs, "\n"), md)
		}
	}
	doc := mdtest.Parse(p.Edit.Body)
	for _, want := range []string{mdtest.HostileShown, "MANIFEST[(\"codex\", \"amd64\", \"firecracker\", \"ubuntu\")].kernel" + mdtest.HostileShown} {
		if !doc.HasCode(want) {
			t.Errorf("the body does not show %q as code:\n%s", want, p.Edit.Body)
		}
	}
	if !mdtest.Parse(p.Comment.Body).HasCode(mdtest.HostileShown) {
		t.Errorf("the comment does not show the asset name as code:\n%s", p.Comment.Body)
	}
}

// TestRenderFitsGitHub: a 70,000-character URL and 300 drifted assets
// still give an issue body GitHub accepts (65,536 characters), which says
// how many assets it left out, and a second run with the same drift
// changes nothing.
func TestRenderFitsGitHub(t *testing.T) {
	var drift []Drift
	huge := kernelDrift('c')
	huge.URL = "https://github.com/acme/images/releases/download/v1/" + strings.Repeat("x", 70_000)
	huge.Asset.Name = strings.Repeat("x", 70_000)
	drift = append(drift, huge)
	for i := 0; i < 300; i++ {
		d := rootfsDrift('d')
		d.URL = fmt.Sprintf("https://github.com/acme/images/releases/download/v1/%03d-%s", i, strings.Repeat("n", 200))
		d.Asset.Name = d.URL[strings.LastIndexByte(d.URL, '/')+1:]
		drift = append(drift, d)
	}
	r := run(0, drift, Problem{Status: verify.StatusMissing, URL: huge.URL, Message: "GET " + huge.URL + ": 404"})
	g := &github{}
	p := Decide(r, g.existing(), Config{})
	if p.Create == nil {
		t.Fatalf("plan %+v", p)
	}
	body := p.Create.Body
	if n := utf8.RuneCountInString(body); n > 65536 {
		t.Errorf("body is %d characters, over GitHub's 65,536", n)
	}
	if strings.Contains(body, strings.Repeat("x", 1000)) {
		t.Error("the huge URL is shown whole")
	}
	var left int
	if i := strings.Index(body, " more drifted assets are not listed"); i < 0 {
		t.Errorf("the body does not say how many assets it left out:\n%.3000s", body)
	} else if _, err := fmt.Sscanf(body[strings.LastIndex(body[:i], "_")+1:], "%d", &left); err != nil || left <= 0 || left >= 301 {
		t.Errorf("left out %d (%v)", left, err)
	} else if rows := strings.Count(body, "\n| ") - 1; rows+left != 301 {
		t.Errorf("%d rows and %d left out, want 301 in all", rows, left)
	}
	g.apply(p)
	if p := Decide(r, g.existing(), Config{}); !p.Empty() {
		t.Errorf("the same drift again plans %+v", p)
	}
}
