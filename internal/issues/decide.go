package issues

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/shortsha"
	"github.com/pindrift/pindrift/internal/verify"
)

// Title is the tracking issue's title. It stays the same as the drift
// changes, so nobody is notified of title edits.
const Title = "Release assets no longer match their pinned SHA-256"

// Issue is a tracking issue as GitHub holds it.
type Issue struct {
	Number int
	Body   string
	Open   bool
	Locked bool
	// ClosedByApp reports that the App closed it (drift resolved), as
	// opposed to a person.
	ClosedByApp bool
}

// Existing is what GitHub holds for the repository: the App's issues that
// carry the Marker.
type Existing struct {
	Open       []Issue // oldest first
	LastClosed *Issue  // the most recently closed, if any
}

// Config tunes Decide.
type Config struct {
	Labels    []string
	Assignees []string
	// UnreachableRuns is how many consecutive failed runs make an
	// unreachable asset worth reporting (0: DefaultUnreachableRuns).
	UnreachableRuns int
}

// Plan is what to do on GitHub. An empty plan means no request at all.
type Plan struct {
	CloseDuplicates []Duplicate
	Create          *NewIssue
	Reopen          int
	Edit            *Edit
	Comment         *Comment
	// Close closes Edit's or Comment's issue as completed, after them.
	Close int
	// Keep is the existing issue that stays (or becomes) the open tracking
	// issue, 0 if none does or Create makes a new one.
	Keep int
}

// Duplicate is an extra open tracking issue to close with a comment.
type Duplicate struct {
	Number  int
	Comment string
}

// NewIssue is a tracking issue to open.
type NewIssue struct {
	Title     string
	Body      string
	Labels    []string
	Assignees []string
}

// Edit replaces an issue's body.
type Edit struct {
	Number int
	Body   string
}

// Comment adds a comment to an issue.
type Comment struct {
	Number int
	Body   string
}

// Empty reports whether the plan makes no change.
func (p Plan) Empty() bool {
	return len(p.CloseDuplicates) == 0 && p.Create == nil && p.Reopen == 0 && p.Edit == nil && p.Comment == nil && p.Close == 0
}

// Decide works out how the tracking issue must change after run, given
// what GitHub holds. It is a pure function: the same inputs give the same
// plan, and a run that changes nothing gives an empty plan.
//
// The rules: at most one open tracking issue (extra ones are closed as
// duplicates of the oldest); its body is edited only when its content
// changes; a comment is added only when the drift set or the set of
// missing assets changes; a missing asset (404/410, or no such release or
// asset) opens the issue like drift, at once; when every
// pin verifies again it is closed as completed with a comment; drift that
// returns reopens the last issue the App closed (or opens a new one if that
// one is locked); an issue a person closed stays closed until the drift set
// changes; an unreachable asset is reported only after it failed in
// UnreachableRuns consecutive runs.
func Decide(run Run, ex Existing, cfg Config) Plan {
	var plan Plan
	need := cfg.UnreachableRuns
	if need <= 0 {
		need = DefaultUnreachableRuns
	}
	var cur *Issue
	if len(ex.Open) > 0 {
		cur = &ex.Open[0]
		for _, d := range ex.Open[1:] {
			plan.CloseDuplicates = append(plan.CloseDuplicates, Duplicate{Number: d.Number,
				Comment: fmt.Sprintf("Closing as a duplicate of #%d, which tracks pin drift for this repository.", cur.Number)})
		}
	}
	if ex.LastClosed != nil && strings.Contains(ex.LastClosed.Body, configIssueMarker) {
		// An issue about the configuration that a person closed (the App
		// takes the Marker out when it closes one) is not a tracking issue
		// to reopen.
		ex.LastClosed = nil
	}
	prevIssue := cur
	if prevIssue == nil {
		prevIssue = ex.LastClosed
	}
	prev := newState()
	if prevIssue != nil {
		prev = parseState(prevIssue.Body)
	}

	next := newState()
	next.Commit = run.Commit
	for _, d := range run.Drift {
		seen := run.Time.UTC().Format(time.RFC3339)
		k := d.key()
		if p, ok := prev.Drift[k]; ok && p.Got == d.Got && p.FirstSeen != "" {
			seen = p.FirstSeen
		}
		ds := driftState{Got: d.Got, Expected: d.Expected, FirstSeen: seen}
		if urlKey, _ := splitDriftStateKey(k); urlKey != d.URL {
			ds.Name = markdown.Shorten(markdown.OneLine(d.Asset.Name), markdown.MaxInline)
		}
		next.Drift[k] = ds
	}
	var shown []Problem
	missing := 0
	for _, p := range run.Problems {
		if p.Status == verify.StatusMissing && p.URL != "" {
			// Missing is reported at once, like drift: a 404 is an answer,
			// not a flaky fetch.
			if next.Missing == nil {
				next.Missing = map[string]string{}
			}
			next.Missing[stateKey(p.URL)] = markdown.Shorten(markdown.OneLine(assetName(p.URL)), markdown.MaxInline)
			missing++
		}
		if p.Status == verify.StatusUnreachable {
			// Capped at the threshold, so a persistently unreachable asset
			// does not change the body (and cause an edit) on every run.
			n := min(prev.Unreachable[stateKey(p.URL)]+1, need)
			if next.Unreachable == nil {
				next.Unreachable = map[string]int{}
			}
			next.Unreachable[stateKey(p.URL)] = n
			if n < need {
				continue
			}
		}
		shown = append(shown, p)
	}
	for _, f := range run.unread() {
		next.Unread = append(next.Unread, f.Path)
	}
	sort.Strings(next.Unread)
	// Fitted before comparing, so a state too large to keep whole compares
	// the same way on every run.
	next = next.fit(maxStateBytes)
	driftChanged := driftKey(next.Drift) != driftKey(prev.Drift)
	changed := driftChanged || missingKey(next.Missing) != missingKey(prev.Missing) ||
		unreadKey(next.Unread) != unreadKey(prev.Unread)
	body := Render(run, shown, next)

	if cur != nil {
		plan.Keep = cur.Number
		// A file that could not be read is not clear: nobody knows.
		allClear := len(run.Drift) == 0 && len(run.Problems) == 0 && len(run.unread()) == 0
		if body != cur.Body {
			plan.Edit = &Edit{Number: cur.Number, Body: body}
		}
		switch {
		case allClear:
			plan.Comment = &Comment{Number: cur.Number, Body: resolvedComment(run)}
			plan.Close, plan.Keep = cur.Number, 0
		case changed:
			plan.Comment = &Comment{Number: cur.Number, Body: changeComment(run, prev, next, driftChanged)}
		}
		return plan
	}
	if len(run.Drift) == 0 && missing == 0 && len(next.Unread) == 0 {
		// Other problems without drift are the CI gate's business; no
		// issue. A missing asset is not: every download of it fails. Nor
		// is a manifest that could not be read: nothing else would say
		// that its pins went unverified.
		return plan
	}
	if last := ex.LastClosed; last != nil && !last.Locked {
		if !last.ClosedByApp && !changed {
			// A person closed it while this same drift stood: respect that
			// until the drift set changes.
			return plan
		}
		plan.Reopen, plan.Keep = last.Number, last.Number
		plan.Edit = &Edit{Number: last.Number, Body: body}
		plan.Comment = &Comment{Number: last.Number, Body: reopenComment(run, prev, next)}
		return plan
	}
	plan.Create = &NewIssue{Title: Title, Body: body, Labels: labels(cfg), Assignees: cfg.Assignees}
	return plan
}

func labels(cfg Config) []string {
	if len(cfg.Labels) == 0 {
		return []string{DefaultLabel}
	}
	return cfg.Labels
}

func resolvedComment(run Run) string {
	return fmt.Sprintf("Every pin verifies again at %s (%s). Closing.", commitLink(run), trigger(run))
}

func reopenComment(run Run, prev, next state) string {
	what := "Drift found again"
	switch {
	case len(run.Drift) > 0:
	case len(next.Missing) > 0:
		what = "Pinned assets are missing again"
	default:
		what = "A manifest could not be read"
	}
	head := fmt.Sprintf("%s at %s (%s).\n\n", what, commitLink(run), trigger(run))
	return head + changeList(run, prev, next, markdown.MaxBody-len(head))
}

func changeComment(run Run, prev, next state, driftChanged bool) string {
	what := "The drift changed"
	switch {
	case driftChanged:
	case missingKey(next.Missing) != missingKey(prev.Missing):
		what = "The missing assets changed"
	default:
		what = "The manifests that could not be read changed"
	}
	head := fmt.Sprintf("%s at %s (%s).\n\n", what, commitLink(run), trigger(run))
	return head + changeList(run, prev, next, markdown.MaxBody-len(head))
}

// trigger names what started the run. It holds a release's tag, which
// anyone who can publish a release chooses, so it is shown as code.
func trigger(run Run) string { return markdown.Code(run.Trigger) }

// changeList says, asset by asset, what is new, what changed again and
// what matches its pins again, in at most limit bytes.
func changeList(run Run, prev, next state, limit int) string {
	var lines []string
	urls := map[string]bool{}
	for u := range prev.Drift {
		urls[u] = true
	}
	for u := range next.Drift {
		urls[u] = true
	}
	sorted := make([]string, 0, len(urls))
	for u := range urls {
		sorted = append(sorted, u)
	}
	sort.Strings(sorted)
	where := driftFiles(run)
	for _, u := range sorted {
		p, wasDrift := prev.Drift[u]
		n, isDrift := next.Drift[u]
		urlKey, alg := splitDriftStateKey(u)
		name := markdown.Code(assetName(urlKey))
		if strings.HasPrefix(urlKey, hashedKey) {
			name = markdown.Code(n.Name + p.Name) // one of them is set
		}
		name += where[u]
		got, was := code(shortLabelled(labelled(alg, n.Got))), code(shortLabelled(labelled(alg, p.Got)))
		switch {
		case isDrift && !wasDrift:
			lines = append(lines, fmt.Sprintf("- **New:** %s now hashes to %s; pinned %s.", name, got, shortList(alg, n.Expected)))
		case isDrift && p.Got != n.Got:
			lines = append(lines, fmt.Sprintf("- **Changed again:** %s now hashes to %s (was %s); pinned %s.", name, got, was, shortList(alg, n.Expected)))
		case isDrift && !sameSet(p.Expected, n.Expected):
			lines = append(lines, fmt.Sprintf("- **Pins changed:** %s still hashes to %s; now pinned %s.", name, got, shortList(alg, n.Expected)))
		case wasDrift && !isDrift:
			lines = append(lines, fmt.Sprintf("- **Resolved:** %s matches its pins again.", name))
		}
	}
	for _, u := range slices.Sorted(maps.Keys(next.Missing)) {
		if _, was := prev.Missing[u]; !was {
			lines = append(lines, fmt.Sprintf("- **Missing:** %s no longer exists at its pinned URL; upload the file again, or change the pin.", code(next.Missing[u])))
		}
	}
	for _, u := range slices.Sorted(maps.Keys(prev.Missing)) {
		if _, is := next.Missing[u]; !is {
			lines = append(lines, fmt.Sprintf("- **Back:** %s is published again.", code(prev.Missing[u])))
		}
	}
	for _, f := range next.Unread {
		if !slices.Contains(prev.Unread, f) {
			lines = append(lines, fmt.Sprintf("- **Not read:** %s could not be read, so its pins were not verified; the reason is above.", code(f)))
		}
	}
	for _, f := range prev.Unread {
		if !slices.Contains(next.Unread, f) {
			lines = append(lines, fmt.Sprintf("- **Read again:** %s could be read and verified.", code(f)))
		}
	}
	// Lines that do not fit are counted instead.
	size := 0
	for i, l := range lines {
		if size+len(l)+1 > limit-noteRoom {
			return strings.Join(lines[:i], "\n") + fmt.Sprintf("\n- _%d more changes not listed: GitHub limits a comment to %d characters._", len(lines)-i, markdown.MaxBody)
		}
		size += len(l) + 1
	}
	return strings.Join(lines, "\n")
}

func code(s string) string { return markdown.Code(s) }

// shortLabelled abbreviates a digest written for a reader (see labelled).
func shortLabelled(s string) string { return shortsha.Of(s, shortsha.Long) }

func shortList(alg pin.Algorithm, shas []string) string {
	var out []string
	for i, s := range shas {
		if i == maxListed {
			out = append(out, fmt.Sprintf("and %d more", len(shas)-maxListed))
			break
		}
		out = append(out, code(shortLabelled(labelled(alg, s))))
	}
	return strings.Join(out, ", ")
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	sort.Strings(a)
	sort.Strings(b)
	return slices.Equal(a, b)
}

// driftFiles says, by drift state key, which files pin each drifted asset
// (" in `a.json`, `b.bzl`"), when the run covers several files; a
// one-file run needs no such words.
func driftFiles(run Run) map[string]string {
	out := map[string]string{}
	if len(run.Files) < 2 {
		return out
	}
	for _, d := range run.Drift {
		var files []string
		for _, p := range d.Pins {
			if p.File != "" && !slices.Contains(files, p.File) {
				files = append(files, p.File)
			}
		}
		if len(files) == 0 {
			continue
		}
		shown := files[:min(len(files), maxListed)]
		codes := make([]string, len(shown))
		for i, f := range shown {
			codes[i] = markdown.Code(f)
		}
		more := ""
		if len(files) > len(shown) {
			more = fmt.Sprintf(" and %d more", len(files)-len(shown))
		}
		out[d.key()] = " in " + strings.Join(codes, ", ") + more
	}
	return out
}
