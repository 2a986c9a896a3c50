package issues

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/verify"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

const (
	kernelURL = "https://github.com/acme/images/releases/download/images-2026.06.14.0/vmlinux-amd64.elf"
	rootfsURL = "https://github.com/acme/images/releases/download/images-2026.06.14.0/codex-amd64-rootfs.ext4.zst"
	flakyURL  = "https://github.com/acme/images/releases/download/images-2026.06.14.0/pi-arm64-rootfs.ext4.zst"
)

func sha(c byte) string { return strings.Repeat(string(c), 64) }

var (
	t0      = time.Date(2026, 6, 15, 3, 17, 0, 0, time.UTC)
	testRep = Repo{Owner: "acme", Name: "images", WebURL: "https://github.com"}
)

func kernelDrift(got byte) Drift {
	return Drift{
		URL: kernelURL, Expected: []string{sha('a')}, Got: sha(got),
		Pins: []PinRef{
			{File: "src/images/published.py", Line: 216, Symbol: "BASE_KERNELS", Path: `BASE_KERNELS["amd64"].elf`, Digest: sha('a')},
			{File: "src/images/published.py", Line: 216, Symbol: "MANIFEST", Path: `MANIFEST[("codex", "amd64", "firecracker", "ubuntu")].kernel`, Digest: sha('a')},
			{File: "src/images/published.py", Line: 216, Symbol: "MANIFEST", Path: `MANIFEST[("pi", "amd64", "firecracker", "ubuntu")].kernel`, Digest: sha('a')},
			{File: "src/images/published.py", Line: 216, Symbol: "MANIFEST", Path: `MANIFEST[("hermes", "amd64", "firecracker", "ubuntu")].kernel`, Digest: sha('a')},
			{File: "src/images/published.py", Line: 216, Symbol: "MANIFEST", Path: `MANIFEST[("ubuntu", "amd64", "firecracker", "ubuntu")].kernel`, Digest: sha('a')},
		},
		Asset: AssetFacts{Name: "vmlinux-amd64.elf", ReleaseTag: "images-2026.06.14.0",
			ReleaseURL: "https://github.com/acme/images/releases/tag/images-2026.06.14.0",
			Size:       23_456_789, UploadedAt: t0.Add(-5 * time.Hour), Uploader: "release-bot"},
	}
}

func rootfsDrift(got byte) Drift {
	return Drift{
		URL: rootfsURL, Expected: []string{sha('b')}, Got: sha(got),
		Pins: []PinRef{{File: "src/images/published.py", Line: 264, Symbol: "MANIFEST",
			Path: `MANIFEST[("codex", "amd64", "firecracker", "ubuntu")].rootfs`, Digest: sha('b')}},
		Asset: AssetFacts{Name: "codex-amd64-rootfs.ext4.zst", ReleaseTag: "images-2026.06.14.0", Size: 412 << 20,
			UploadedAt: t0.Add(-2 * time.Hour), Uploader: "octocat"},
	}
}

var gone = Problem{Status: verify.StatusMissing, URL: flakyURL, Message: "GET …: HTTP 404 Not Found",
	Pins: []PinRef{{File: "src/images/published.py", Line: 270, Symbol: "MANIFEST", Path: `MANIFEST[("pi", "arm64", "qemu", "ubuntu")].rootfs`, Digest: sha('f')}}}

var flaky = Problem{Status: verify.StatusUnreachable, URL: flakyURL, Message: "GET …: connection reset by peer (3 tries)",
	Pins: []PinRef{{File: "src/images/published.py", Line: 270, Symbol: "MANIFEST", Path: `MANIFEST[("pi", "arm64", "qemu", "ubuntu")].rootfs`}}}

func run(at time.Duration, drift []Drift, problems ...Problem) Run {
	return Run{Repo: testRep, Commit: "269c1a5f0e6b4a7c9d2e8f1a3b5c7d9e0f2a4b6c", Trigger: "nightly sweep",
		Time: t0.Add(at), Files: []File{{Path: "src/images/published.py"}}, Drift: drift, Problems: problems}
}

// github models what GitHub holds for the repository, applying plans the
// way the real client would.
type github struct {
	issues []*Issue
	next   int
	log    []string
}

func (g *github) existing() Existing {
	var ex Existing
	for _, is := range g.issues {
		if is.Open {
			ex.Open = append(ex.Open, *is)
		} else {
			c := *is
			ex.LastClosed = &c
		}
	}
	return ex
}

func (g *github) get(n int) *Issue {
	for _, is := range g.issues {
		if is.Number == n {
			return is
		}
	}
	panic(fmt.Sprintf("no issue #%d", n))
}

func (g *github) apply(p Plan) {
	for _, d := range p.CloseDuplicates {
		g.get(d.Number).Open = false
		g.log = append(g.log, fmt.Sprintf("close #%d as duplicate", d.Number))
	}
	if p.Create != nil {
		g.next++
		g.issues = append(g.issues, &Issue{Number: g.next, Body: p.Create.Body, Open: true})
		g.log = append(g.log, fmt.Sprintf("create #%d", g.next))
	}
	if p.Reopen != 0 {
		g.get(p.Reopen).Open = true
		g.log = append(g.log, fmt.Sprintf("reopen #%d", p.Reopen))
	}
	if p.Edit != nil {
		g.get(p.Edit.Number).Body = p.Edit.Body
		g.log = append(g.log, fmt.Sprintf("edit #%d", p.Edit.Number))
	}
	if p.Comment != nil {
		g.log = append(g.log, fmt.Sprintf("comment #%d: %s", p.Comment.Number, firstLine(p.Comment.Body)))
	}
	if p.Close != 0 {
		is := g.get(p.Close)
		is.Open, is.ClosedByApp = false, true
		g.log = append(g.log, fmt.Sprintf("close #%d", p.Close))
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if i := strings.Index(s, " at ["); i > 0 {
		return s[:i]
	}
	return s
}

// step is one run, or something a person does between runs.
type step struct {
	run   *Run
	human func(g *github)
	// want lists what the run did to GitHub, in order; nil means nothing.
	want []string
}

func TestDecideSequences(t *testing.T) {
	r := func(at time.Duration, drift []Drift, problems ...Problem) *Run {
		x := run(at, drift, problems...)
		return &x
	}
	both := []Drift{kernelDrift('c'), rootfsDrift('d')}
	cases := map[string][]step{
		"no drift, no issue": {
			{run: r(0, nil)},
		},
		"first drift opens one issue; the same drift again writes nothing": {
			{run: r(0, []Drift{kernelDrift('c')}), want: []string{"create #1"}},
			{run: r(time.Hour, []Drift{kernelDrift('c')})},
			{run: func() *Run {
				x := r(2*time.Hour, []Drift{kernelDrift('c')})
				x.Trigger = "release images-2026.06.14.0 edited"
				return x
			}()},
		},
		"drift grows then shrinks: one comment each, body edited": {
			{run: r(0, []Drift{kernelDrift('c')}), want: []string{"create #1"}},
			{run: r(time.Hour, both), want: []string{"edit #1", "comment #1: The drift changed"}},
			{run: r(2*time.Hour, both)},
			{run: r(3*time.Hour, []Drift{rootfsDrift('d')}), want: []string{"edit #1", "comment #1: The drift changed"}},
		},
		"bytes change again": {
			{run: r(0, []Drift{kernelDrift('c')}), want: []string{"create #1"}},
			{run: r(time.Hour, []Drift{kernelDrift('e')}), want: []string{"edit #1", "comment #1: The drift changed"}},
		},
		"resolved: comment, then close as completed": {
			{run: r(0, both), want: []string{"create #1"}},
			{run: r(time.Hour, nil), want: []string{"edit #1", "comment #1: Every pin verifies again", "close #1"}},
			{run: r(2*time.Hour, nil)},
		},
		"drift returns after the App closed it: reopen": {
			{run: r(0, []Drift{kernelDrift('c')}), want: []string{"create #1"}},
			{run: r(time.Hour, nil), want: []string{"edit #1", "comment #1: Every pin verifies again", "close #1"}},
			{run: r(2*time.Hour, []Drift{kernelDrift('c')}), want: []string{"reopen #1", "edit #1", "comment #1: Drift found again"}},
		},
		"drift returns but the old issue is locked: a new one": {
			{run: r(0, []Drift{kernelDrift('c')}), want: []string{"create #1"}},
			{run: r(time.Hour, nil), want: []string{"edit #1", "comment #1: Every pin verifies again", "close #1"}},
			{human: func(g *github) { g.get(1).Locked = true }},
			{run: r(2*time.Hour, []Drift{kernelDrift('c')}), want: []string{"create #2"}},
		},
		"a person closed it: stays closed until the drift set changes": {
			{run: r(0, []Drift{kernelDrift('c')}), want: []string{"create #1"}},
			{human: func(g *github) { g.get(1).Open = false }},
			{run: r(time.Hour, []Drift{kernelDrift('c')})},
			{run: r(2*time.Hour, both), want: []string{"reopen #1", "edit #1", "comment #1: Drift found again"}},
		},
		"duplicates are closed, the oldest kept": {
			{run: r(0, []Drift{kernelDrift('c')}), want: []string{"create #1"}},
			{human: func(g *github) {
				for _, n := range []int{2, 3} {
					g.issues = append(g.issues, &Issue{Number: n, Body: g.get(1).Body, Open: true})
				}
				g.next = 3
			}},
			{run: r(time.Hour, []Drift{kernelDrift('c')}), want: []string{"close #2 as duplicate", "close #3 as duplicate"}},
			{run: r(2*time.Hour, []Drift{kernelDrift('c')})},
		},
		"unreachable once is not reported; twice is": {
			{run: r(0, []Drift{kernelDrift('c')}), want: []string{"create #1"}},
			{run: r(time.Hour, []Drift{kernelDrift('c')}, flaky), want: []string{"edit #1"}}, // the streak is recorded, not shown
			{run: r(2*time.Hour, []Drift{kernelDrift('c')}, flaky), want: []string{"edit #1"}},
			{run: r(3*time.Hour, []Drift{kernelDrift('c')}, flaky)},
		},
		"problems without drift open no issue": {
			{run: r(0, nil, flaky, flaky)},
		},
		"a missing asset alone opens the issue at once; back, it closes": {
			{run: r(0, nil, gone), want: []string{"create #1"}},
			{run: r(time.Hour, nil, gone)},
			{run: r(2*time.Hour, nil), want: []string{"edit #1", "comment #1: Every pin verifies again", "close #1"}},
			{run: r(3*time.Hour, nil, gone), want: []string{"reopen #1", "edit #1", "comment #1: Pinned assets are missing again"}},
		},
		"an asset gone beside drift: one comment, listed, back": {
			{run: r(0, []Drift{kernelDrift('c')}), want: []string{"create #1"}},
			{run: r(time.Hour, []Drift{kernelDrift('c')}, gone), want: []string{"edit #1", "comment #1: The missing assets changed"}},
			{run: r(2*time.Hour, []Drift{kernelDrift('c')}), want: []string{"edit #1", "comment #1: The missing assets changed"}},
		},
		"an unreachable asset keeps a resolved issue open until verified": {
			{run: r(0, []Drift{kernelDrift('c')}), want: []string{"create #1"}},
			{run: r(time.Hour, nil, flaky), want: []string{"edit #1", "comment #1: The drift changed"}},
			{run: r(2*time.Hour, nil), want: []string{"edit #1", "comment #1: Every pin verifies again", "close #1"}},
		},
	}
	for name, steps := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			g := &github{}
			for i, s := range steps {
				if s.human != nil {
					s.human(g)
					continue
				}
				before := len(g.log)
				plan := Decide(*s.run, g.existing(), Config{})
				g.apply(plan)
				got := g.log[before:]
				if len(got) == 0 {
					got = nil
				}
				if diff := cmp.Diff(s.want, got); diff != "" {
					t.Fatalf("step %d (-want +got):\n%s", i, diff)
				}
				if s.want == nil && !plan.Empty() {
					t.Fatalf("step %d: plan %+v is not empty", i, plan)
				}
			}
		})
	}
}

func TestUnreachableShownOnSecondRun(t *testing.T) {
	g := &github{}
	g.apply(Decide(run(0, []Drift{kernelDrift('c')}), g.existing(), Config{}))
	g.apply(Decide(run(time.Hour, []Drift{kernelDrift('c')}, flaky), g.existing(), Config{}))
	if visible := strings.SplitN(g.get(1).Body, stateOpen, 2)[0]; strings.Contains(visible, flakyURL) {
		t.Fatalf("an asset unreachable in one run is reported:\n%s", visible)
	}
	g.apply(Decide(run(2*time.Hour, []Drift{kernelDrift('c')}, flaky), g.existing(), Config{}))
	if !strings.Contains(g.get(1).Body, "**unreachable** `"+flakyURL+"`") {
		t.Fatalf("an asset unreachable in two runs is not reported:\n%s", g.get(1).Body)
	}
	if strings.Contains(strings.SplitN(g.get(1).Body, "### Could not be verified", 2)[0], flakyURL) {
		t.Error("the unreachable asset appears among the drift")
	}
}

func TestLabelsAndAssignees(t *testing.T) {
	p := Decide(run(0, []Drift{kernelDrift('c')}), Existing{}, Config{})
	if diff := cmp.Diff([]string{DefaultLabel}, p.Create.Labels); diff != "" {
		t.Errorf("default labels (-want +got):\n%s", diff)
	}
	p = Decide(run(0, []Drift{kernelDrift('c')}), Existing{}, Config{Labels: []string{"supply-chain"}, Assignees: []string{"maint"}})
	if p.Create.Labels[0] != "supply-chain" || p.Create.Assignees[0] != "maint" || p.Create.Title != Title {
		t.Errorf("create = %+v", p.Create)
	}
}

// TestRenderGolden checks the rendered bodies and comments against
// testdata/*.md; run with -update to rewrite them after a deliberate change.
func TestRenderGolden(t *testing.T) {
	immutable := kernelDrift('c')
	immutable.Asset.Immutable = true
	withPR := run(time.Hour, []Drift{kernelDrift('c'), rootfsDrift('d')}, flaky)
	withPR.FixPR = &PullRef{Number: 42, URL: "https://github.com/acme/images/pull/42"}
	blocked := run(0, []Drift{kernelDrift('c')})
	blocked.FixBlocked = "the SHA at `src/images/published.py:216` feeds URLs whose live bytes now differ."
	missing := Problem{Status: verify.StatusMissing, URL: flakyURL, Message: "GET …: HTTP 404 Not Found",
		Pins: flaky.Pins}
	cases := map[string]struct {
		run   Run
		shown []Problem
	}{
		"one_drift":      {run: run(0, []Drift{kernelDrift('c')})},
		"two_drifts_pr":  {run: withPR, shown: []Problem{flaky, missing}},
		"immutable":      {run: run(0, []Drift{immutable})},
		"fix_blocked":    {run: blocked},
		"resolved":       {run: run(0, nil)},
		"resolved_issue": {run: run(0, nil), shown: []Problem{flaky}},
		"missing_only":   {run: run(0, nil), shown: []Problem{gone, flaky}},
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
	t.Run("comments", func(t *testing.T) {
		g := &github{}
		var out strings.Builder
		for i, r := range []Run{run(0, []Drift{kernelDrift('c')}), run(time.Hour, []Drift{kernelDrift('e'), rootfsDrift('d')}),
			run(2*time.Hour, []Drift{rootfsDrift('d')}), run(3*time.Hour, nil), run(4*time.Hour, []Drift{kernelDrift('c')}),
			run(5*time.Hour, []Drift{kernelDrift('c')}, gone), run(6*time.Hour, []Drift{kernelDrift('c')})} {
			p := Decide(r, g.existing(), Config{})
			g.apply(p)
			if p.Comment != nil {
				fmt.Fprintf(&out, "## run %d\n\n%s\n\n", i, p.Comment.Body)
			}
		}
		golden(t, "comments.md", out.String())
	})
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-golden +got); if intended, rerun with -update:\n%s", path, diff)
	}
}
