package issues

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/markdown/mdtest"
	"github.com/pindrift/pindrift/internal/verify"
)

const (
	pyFile   = "src/images/published.py"
	jsonFile = "deploy/assets.json"
	yamlFile = "ci/pins.yaml"
)

// inFile is d with its pins moved to file (and lines to line), as if
// another manifest pinned the same asset.
func inFile(d Drift, file string, line int) Drift {
	d.Pins = append([]PinRef(nil), d.Pins[:1]...)
	d.Pins[0].File, d.Pins[0].Line, d.Pins[0].Symbol, d.Pins[0].Path = file, line, "assets", "assets[0]"
	return d
}

// filesRun is a run over the three manifests, yamlFile unreadable when
// unread is set.
func filesRun(at time.Duration, unread bool, drift []Drift, problems ...Problem) Run {
	r := run(at, drift, problems...)
	r.Files = []File{{Path: pyFile}, {Path: jsonFile}, {Path: yamlFile}}
	if unread {
		r.Files[2].Unread = "ci/pins.yaml:3:1: mapping values are not allowed here"
	}
	return r
}

// sharedKernel is the kernel drift pinned in both the Python and the JSON
// manifest: one asset, one row per file.
func sharedKernel(got byte) Drift {
	d := kernelDrift(got)
	d.Pins = append(d.Pins, inFile(d, jsonFile, 4).Pins...)
	return d
}

// TestRenderFilesGolden: an issue over several manifests groups the drift
// and problems by file, in the configuration's order, and names the file
// that could not be read; testdata/files_*.md, -update to rewrite.
func TestRenderFilesGolden(t *testing.T) {
	missing := Problem{Status: verify.StatusMissing, URL: flakyURL, Message: "GET …: HTTP 404 Not Found",
		Pins: []PinRef{{File: jsonFile, Line: 9, Symbol: "assets", Path: "assets[2]", Digest: sha('f')}}}
	drift := filesRun(time.Hour, true, []Drift{sharedKernel('c'), rootfsDrift('d')}, missing)
	drift.FixPR = &PullRef{Number: 42}
	drift.FixNotFixed = "Not fixed in `src/images/published.py`: `src/images/published.py:264:20: the SHA feeds URLs whose live bytes now differ`."
	cases := map[string]struct {
		run   Run
		shown []Problem
	}{
		"files_drift":       {run: drift, shown: []Problem{missing}},
		"files_unread_only": {run: filesRun(0, true, nil)},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			st := newState()
			for _, d := range c.run.Drift {
				st.Drift[d.URL] = driftState{Got: d.Got, Expected: d.Expected, FirstSeen: c.run.Time.Format(time.RFC3339)}
			}
			golden(t, name+".md", Render(c.run, c.shown, st))
		})
	}
}

// TestDecideFiles follows one tracking issue over three manifests.
func TestDecideFiles(t *testing.T) {
	jsonDrift := inFile(rootfsDrift('d'), jsonFile, 4)
	steps := []struct {
		name string
		run  Run
		want []string
		// in and notIn are file sections the body must and must not have.
		in, notIn []string
	}{
		{name: "an unreadable file alone opens the issue: nothing else says its pins went unverified", run: filesRun(0, true, nil),
			want: []string{"create #1"}, in: []string{yamlFile}, notIn: []string{pyFile, jsonFile}},
		{name: "the file read again, drift in two files", run: filesRun(time.Hour, false, []Drift{kernelDrift('c'), jsonDrift}),
			want: []string{"edit #1", "comment #1: The drift changed"}, in: []string{pyFile, jsonFile}, notIn: []string{yamlFile}},
		{name: "the same again: nothing", run: filesRun(2*time.Hour, false, []Drift{kernelDrift('c'), jsonDrift})},
		{name: "one file's drift resolves: its section goes", run: filesRun(3*time.Hour, false, []Drift{jsonDrift}),
			want: []string{"edit #1", "comment #1: The drift changed"}, in: []string{jsonFile}, notIn: []string{pyFile, yamlFile}},
		{name: "a file cannot be read: listed, and said once", run: filesRun(4*time.Hour, true, []Drift{jsonDrift}),
			want: []string{"edit #1", "comment #1: The manifests that could not be read changed"}, in: []string{jsonFile, yamlFile}},
		{name: "still unread: nothing", run: filesRun(4*time.Hour+time.Minute, true, []Drift{jsonDrift})},
		{name: "drift gone, the file still unread: the issue stays open", run: filesRun(5*time.Hour, true, nil),
			want: []string{"edit #1", "comment #1: The drift changed"}, in: []string{yamlFile}, notIn: []string{jsonFile}},
		{name: "the file is read again and clear: closed", run: filesRun(6*time.Hour, false, nil),
			want: []string{"edit #1", "comment #1: Every pin verifies again", "close #1"}},
	}
	g := &github{}
	for _, s := range steps {
		g.log = nil
		p := Decide(s.run, g.existing(), Config{})
		g.apply(p)
		if diff := cmp.Diff(s.want, g.log); diff != "" {
			t.Fatalf("%s: requests (-want +got):\n%s", s.name, diff)
		}
		if len(s.in)+len(s.notIn) == 0 {
			continue
		}
		body := g.get(1).Body
		for _, f := range s.in {
			if !strings.Contains(body, "### In `"+f+"`") {
				t.Errorf("%s: no section for %s:\n%s", s.name, f, body)
			}
		}
		for _, f := range s.notIn {
			if strings.Contains(body, "### In `"+f+"`") {
				t.Errorf("%s: a section for %s:\n%s", s.name, f, body)
			}
		}
	}
	if is := g.get(1); is.Open {
		t.Error("the issue is still open")
	}
}

// TestSingleFileIssueReadAfterUpgrade: an issue written for one manifest
// is read by a run over several: the same drift keeps its first-seen time
// and posts no comment; only the layout changes.
func TestSingleFileIssueReadAfterUpgrade(t *testing.T) {
	g := &github{}
	g.apply(Decide(run(0, []Drift{kernelDrift('c')}), g.existing(), Config{}))
	p := Decide(filesRun(time.Hour, false, []Drift{kernelDrift('c')}), g.existing(), Config{})
	if p.Comment != nil || p.Create != nil || p.Edit == nil {
		t.Fatalf("plan %+v, want an edit of the layout and nothing else", p)
	}
	if st := parseState(p.Edit.Body); st.Drift[kernelURL].FirstSeen != t0.Format(time.RFC3339) {
		t.Errorf("first seen %q, want the first run's %s", st.Drift[kernelURL].FirstSeen, t0.Format(time.RFC3339))
	}
}

// TestRenderFilesIsInert: a file path and a read error full of Markdown
// show as code.
func TestRenderFilesIsInert(t *testing.T) {
	h := mdtest.Hostile
	r := filesRun(0, true, []Drift{inFile(kernelDrift('c'), h, 3)})
	r.Files = append(r.Files, File{Path: h, Unread: h})
	body := Render(r, nil, newState())
	if probs := mdtest.Problems(body, "https://github.com/", allowedHTML...); len(probs) != 0 {
		t.Errorf("body:\n%s\n%s", strings.Join(probs, "\n"), body)
	}
	if !mdtest.Parse(body).HasCode(mdtest.HostileShown) {
		t.Errorf("the body does not show the file as code:\n%s", body)
	}
}

// TestRenderFilesFitsGitHub: 300 drifted assets over three files and 200
// unreadable files with long reasons still give a body GitHub accepts,
// which says what it left out, and the same run again changes nothing.
func TestRenderFilesFitsGitHub(t *testing.T) {
	var drift []Drift
	for i := 0; i < 300; i++ {
		d := inFile(rootfsDrift('d'), []string{pyFile, jsonFile, yamlFile}[i%3], i+1)
		d.URL = fmt.Sprintf("https://github.com/acme/images/releases/download/v1/%03d-%s", i, strings.Repeat("n", 200))
		d.Asset.Name = d.URL[strings.LastIndexByte(d.URL, '/')+1:]
		drift = append(drift, d)
	}
	r := filesRun(0, false, drift)
	for i := 0; i < 200; i++ {
		r.Files = append(r.Files, File{Path: fmt.Sprintf("more/%03d.json", i), Unread: strings.Repeat("bad ", 100)})
	}
	g := &github{}
	p := Decide(r, g.existing(), Config{})
	if p.Create == nil {
		t.Fatalf("plan %+v", p)
	}
	body := p.Create.Body
	if n := utf8.RuneCountInString(body); n > 65536 {
		t.Errorf("body is %d characters, over GitHub's 65,536", n)
	}
	if !strings.Contains(body, "more drifted rows") || !strings.Contains(body, "<!-- pindrift:state") {
		t.Errorf("the body does not say what it left out, or lost its state:\n%.3000s", body)
	}
	g.apply(p)
	if p := Decide(r, g.existing(), Config{}); !p.Empty() {
		t.Errorf("the same run again plans %+v", p)
	}
}

// TestUnreadChangesAreListed: the comment on a manifest that could not be
// read, and later could, names it.
func TestUnreadChangesAreListed(t *testing.T) {
	jsonDrift := inFile(rootfsDrift('d'), jsonFile, 4)
	g := &github{}
	g.apply(Decide(filesRun(0, false, []Drift{jsonDrift}), g.existing(), Config{}))
	p := Decide(filesRun(time.Hour, true, []Drift{jsonDrift}), g.existing(), Config{})
	if p.Comment == nil || !strings.Contains(p.Comment.Body, "**Not read:** `"+yamlFile+"`") {
		t.Fatalf("comment %+v, want one naming %s as not read", p.Comment, yamlFile)
	}
	g.apply(p)
	p = Decide(filesRun(2*time.Hour, false, []Drift{jsonDrift}), g.existing(), Config{})
	if p.Comment == nil || !strings.Contains(p.Comment.Body, "**Read again:** `"+yamlFile+"`") {
		t.Fatalf("comment %+v, want one naming %s as read again", p.Comment, yamlFile)
	}
}

// TestChangesNameTheirFiles: over several files, the comment on a change
// says which file pins the asset; over one, it says nothing more.
func TestChangesNameTheirFiles(t *testing.T) {
	jsonDrift := inFile(rootfsDrift('d'), jsonFile, 4)
	g := &github{}
	g.apply(Decide(filesRun(0, false, []Drift{kernelDrift('c')}), g.existing(), Config{}))
	p := Decide(filesRun(time.Hour, false, []Drift{kernelDrift('c'), jsonDrift}), g.existing(), Config{})
	if p.Comment == nil {
		t.Fatal("no comment on new drift")
	}
	var newLine string
	for _, l := range strings.Split(p.Comment.Body, "\n") {
		if strings.HasPrefix(l, "- **New:**") {
			newLine = l
		}
	}
	if !strings.Contains(newLine, " in `"+jsonFile+"` now hashes to") {
		t.Errorf("the new drift's line %q does not name %s", newLine, jsonFile)
	}

	one := &github{}
	one.apply(Decide(run(0, []Drift{kernelDrift('c')}), one.existing(), Config{}))
	p = Decide(run(time.Hour, []Drift{kernelDrift('c'), rootfsDrift('d')}), one.existing(), Config{})
	if p.Comment == nil || strings.Contains(p.Comment.Body, " in `") {
		t.Errorf("a one-file comment names files: %+v", p.Comment)
	}
}
