package onboard

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/discover"
	"github.com/pindrift/pindrift/internal/golden"
	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/markdown/mdtest"
	"github.com/pindrift/pindrift/internal/pin"
)

func TestBodyGolden(t *testing.T) {
	t.Parallel()
	f := facts(func(f *Facts) {
		f.Found = &discover.Result{Files: []discover.File{
			{Path: "images/published.py", Format: pin.Python, Pins: 3,
				Unresolved: []pin.Finding{{Line: 12, Column: 5, Message: "the URL is assembled at run time"}}},
			{Path: "MODULE.bazel", Format: pin.Starlark, Pins: 1},
			{Path: "deps/sources.json", Format: pin.JSON, Pins: 2,
				Invalid: []pin.Finding{{Line: 4, Column: 14, Message: "\"abc\" is not a SHA-256 digest"}}},
		},
			Unpaired: []discover.File{{Path: "docs/checksums.json", Format: pin.JSON,
				Unresolved: []pin.Finding{{Line: 2, Column: 3, Message: "digest with no URL"}}}},
			Failed:  []discover.Skip{{Path: "tools/broken.py", Reason: "syntax error at line 3"}},
			Folders: []string{"vendor", "testdata"},
			Skipped: map[string]int{discover.ReasonFolder: 40, discover.ReasonLockFile: 2, discover.ReasonFormat: 117},
			Unread:  []string{"misc/more.json"},
			Listed:  180, Reads: 9, MaxReads: 8, Truncated: true,
		}
		f.Config = []byte("manifests:\n  - path: images/published.py\n  - path: MODULE.bazel\n  - path: deps/sources.json\n")
	})
	found := f.Found
	got := "# " + Title + "\n\n" + Body(f) + "\n---\nannouncement:\n\n" + Announcement(12) +
		"\n---\nnothing found:\n\n" + nothingFoundReply(facts(func(f *Facts) { f.Found = &discover.Result{Listed: 3, Reads: 1} })) +
		"\n---\nnothing found, with what was passed over:\n\n" + nothingFoundReply(facts(func(f *Facts) {
		f.Found = &discover.Result{Unpaired: found.Unpaired, Failed: found.Failed, Listed: 12, Reads: 2}
	})) +
		"\n---\nconfigured:\n\n" + configuredReply(f) + "\n"
	golden.Check(t, "pr.md", []byte(got))
}

// TestBodyHostile: paths and messages come from the repository; none of
// them may mention, link or inject HTML, and the table keeps its shape.
func TestBodyHostile(t *testing.T) {
	t.Parallel()
	f := facts(func(f *Facts) {
		f.DefaultBranch = mdtest.Hostile
		f.Found = &discover.Result{Files: []discover.File{
			{Path: mdtest.Hostile, Format: pin.Format(mdtest.Hostile), Pins: 1,
				Unresolved: []pin.Finding{{Line: 1, Column: 1, Message: mdtest.Hostile}}},
		},
			Unpaired: []discover.File{{Path: "x/" + mdtest.Hostile, Format: pin.JSON, Invalid: []pin.Finding{{Message: mdtest.Hostile}}}},
			Failed:   []discover.Skip{{Path: mdtest.Hostile, Reason: mdtest.Hostile}},
			Folders:  []string{mdtest.Hostile},
			Skipped:  map[string]int{mdtest.Hostile: 1},
			Unread:   []string{mdtest.Hostile},
		}
		f.Config = []byte("manifests:\n  - path: \"" + mdtest.Hostile + "\"\n```\n@alice\n")
	})
	for name, body := range map[string]string{
		"body":          Body(f),
		"nothing found": nothingFoundReply(f),
		"open, none":    Decide(func() Facts { g := f; g.Found = &discover.Result{}; g.Asked = &Request{Issue: 1}; return g }()).Reply.Body,
	} {
		if probs := mdtest.Problems(body, "https://github.com/", "<!-- pindrift:onboarding -->"); len(probs) > 0 {
			t.Errorf("%s:\n%s\n\nproblems:\n%s", name, body, strings.Join(probs, "\n"))
		}
	}
}

// TestBodyBounded: a repository with thousands of files and findings
// still gets a body GitHub accepts, which says how many were left out.
func TestBodyBounded(t *testing.T) {
	t.Parallel()
	f := facts(nil)
	f.Found = &discover.Result{}
	var cfg strings.Builder
	cfg.WriteString("manifests:\n")
	for i := range 3000 {
		p := fmt.Sprintf("pkg%04d/%s/pins.json", i, strings.Repeat("d", 40))
		var fs []pin.Finding
		for j := range 5 {
			fs = append(fs, pin.Finding{Line: j + 1, Column: 1, Message: strings.Repeat("m", 200)})
		}
		f.Found.Files = append(f.Found.Files, discover.File{Path: p, Format: pin.JSON, Pins: 2, Unresolved: fs})
		cfg.WriteString("  - path: " + p + "\n")
		f.Found.Unpaired = append(f.Found.Unpaired, discover.File{Path: "u/" + p, Format: pin.JSON})
		f.Found.Failed = append(f.Found.Failed, discover.Skip{Path: "f/" + p, Reason: strings.Repeat("r", 300)})
		f.Found.Unread = append(f.Found.Unread, "n/"+p)
	}
	f.Config = []byte(cfg.String())
	body := Body(f)
	if len(body) > markdown.MaxBody {
		t.Fatalf("body is %d bytes, over GitHub's %d", len(body), markdown.MaxBody)
	}
	for _, want := range []string{"6000 pins in 3000 files", fmt.Sprintf("…and %d more files", 3000-MaxFilesShown),
		fmt.Sprintf("…and %d more\n", 3000*5-MaxFindingsShown), "more lines cut", "## Not wanted?",
		fmt.Sprintf("and %d more files", 3000-MaxFindingsShown)} {
		if !strings.Contains(body, want) {
			t.Errorf("body does not say %q", want)
		}
	}
}
