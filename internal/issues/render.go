package issues

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/shortsha"
	"github.com/pindrift/pindrift/internal/verify"
)

// Render writes the tracking issue's body: a summary, one table row per
// drifted asset, the problems that are not drift, how to fix it, and the
// hidden state block. It depends only on the drift, the problems shown and
// the verified commit, so a repeat run renders the same bytes.
//
// Every string from the manifest, a URL, the release or a server is shown
// as inert code (package markdown), and the body stays within GitHub's
// 65,536 characters: rows, digests and problems that do not fit are left
// out, and the body says how many.
func Render(run Run, shown []Problem, st state) string {
	if run.grouped() {
		return renderFiles(run, shown, st)
	}
	var b strings.Builder
	b.WriteString(Marker + "\n")
	tail := "\n" + st.encode() + "\n"
	missing, others := splitMissing(shown)
	if len(run.Drift) == 0 {
		if m := len(missing); m > 0 {
			fmt.Fprintf(&b, "## %d release %s pinned in %s no longer %s\n\n",
				m, plural(m, "asset", "assets"), markdown.Code(run.path()), plural(m, "exists", "exist"))
			fmt.Fprintf(&b, "The bytes the manifest pins are no longer published at %s: anyone who downloads %s now gets an error. Verified at %s.\n",
				plural(m, "this URL", "these URLs"), plural(m, "it", "them"), commitLink(run))
		} else {
			fmt.Fprintf(&b, "## Every pinned release asset matches its SHA-256\n\n")
			fmt.Fprintf(&b, "Verified at %s.\n", commitLink(run))
		}
		budget := markdown.NewBudget(markdown.MaxBody - b.Len() - len(tail))
		writeMissing(&b, run, missing, budget)
		writeProblems(&b, run, others, budget)
		b.WriteString(tail)
		return b.String()
	}
	writeDriftHeadline(&b, run, markdown.Code(run.path()))
	fix := howToFix(run)
	budget := markdown.NewBudget(markdown.MaxBody - b.Len() - len(fix) - len(tail))

	budget.Take(driftHeader)
	b.WriteString(driftHeader)
	rows := 0
	budget.Reserve(noteRoom)
	for _, d := range run.Drift {
		row := driftRow(run, d, st)
		if !budget.Take(row) {
			break
		}
		b.WriteString(row)
		rows++
	}
	budget.Release(noteRoom)
	if left := len(run.Drift) - rows; left > 0 {
		note := fmt.Sprintf("\n_%d more drifted %s not listed: GitHub limits an issue to %d characters._\n",
			left, plural(left, "asset is", "assets are"), markdown.MaxBody)
		budget.Take(note)
		b.WriteString(note)
	}

	writeDetails(&b, run.Drift[:rows], false, budget)
	writeMissing(&b, run, missing, budget)
	writeProblems(&b, run, others, budget)
	b.WriteString(fix)
	b.WriteString(tail)
	return b.String()
}

// noteRoom is kept free for a line saying what was left out.
const noteRoom = 200

const driftHeader = "| Asset | Pinned → live | Pinned at | Feeds | Uploaded |\n|---|---|---|---|---|\n"

// driftRow is d's row in the drift table.
func driftRow(run Run, d Drift, st state) string {
	return fmt.Sprintf("| %s | %s →<br>%s | %s | %s | %s |\n",
		assetCell(d), codeList(d.Algorithm, d.Expected), markdown.Cell(shortLabelled(labelled(d.Algorithm, d.Got))), locations(run, d.Pins), feedCounts(d.Pins),
		uploaded(run.Repo.web(), d.Asset, st.Drift[d.key()].FirstSeen))
}

// writeDetails writes the full digests of ds and the rows each pin feeds,
// in a folded block, if it fits; withFile names each pin's file too, for
// an issue over several files.
func writeDetails(b *strings.Builder, ds []Drift, withFile bool, budget *markdown.Budget) {
	var lines []string
	for _, d := range ds {
		lines = append(lines, d.Asset.Name, "  url      "+d.URL)
		for _, e := range d.Expected {
			lines = append(lines, "  pinned   "+labelled(d.Algorithm, e))
		}
		lines = append(lines, "  live     "+labelled(d.Algorithm, d.Got))
		for _, p := range d.Pins {
			if withFile {
				lines = append(lines, "  feeds    "+p.File+": "+p.Path)
			} else {
				lines = append(lines, "  feeds    "+p.Path)
			}
		}
	}
	const detailsOpen, detailsClose = "\n<details><summary>Full digests and the rows each pin feeds</summary>\n\n", "\n</details>\n"
	if budget.Reserve(len(detailsOpen) + len(detailsClose) + noteRoom) {
		if block := markdown.BlockWithin("", 2*markdown.MaxInline, budget.Left(), lines...); block != "" {
			budget.Take(block)
			b.WriteString(detailsOpen + block + detailsClose)
		}
		budget.Release(noteRoom)
	}
}

func howToFix(run Run) string {
	var b strings.Builder
	b.WriteString("\n### How to fix\n\n")
	b.WriteString("- **If the new bytes were not meant to be published** (a forced re-run, an asset replaced by mistake): " +
		"upload the original file again. The pinned digests above are what it must hash to. This issue closes by itself once they match.\n")
	switch {
	case run.FixPR != nil && run.FixNotFixed != "":
		// FixNotFixed is Markdown from package fixpr, bounded like
		// FixBlocked.
		fmt.Fprintf(&b, "- **If the new bytes are intended:** review #%d, which rewrites exactly the drifted SHA literals it can. "+
			"Merging it accepts the new bytes for every user. It does not fix everything; update these pins by hand: %s\n",
			run.FixPR.Number, boundedMarkdown(run.FixNotFixed, 8*markdown.MaxInline))
	case run.FixPR != nil:
		fmt.Fprintf(&b, "- **If the new bytes are intended:** review #%d, which rewrites exactly the drifted SHA literals. "+
			"Merging it accepts the new bytes for every user.\n", run.FixPR.Number)
	case run.FixBlocked != "":
		// FixBlocked is Markdown from package fixpr, which quotes what it
		// names; it is bounded here all the same.
		fmt.Fprintf(&b, "- **If the new bytes are intended:** update the pins by hand. No fix PR was opened: %s\n",
			boundedMarkdown(run.FixBlocked, 8*markdown.MaxInline))
	default:
		fmt.Fprintf(&b, "- **If the new bytes are intended:** update the pinned %s literals to the live digests above.\n", driftAlgorithmName(run.Drift))
	}
	return b.String()
}

// boundedMarkdown keeps Markdown that is already safe on one line and
// within limit bytes; Markdown too long is replaced rather than cut, since
// a cut could leave a code span open.
func boundedMarkdown(s string, limit int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > limit {
		return "the reasons are too long to show here; see the fix PR settings and the pins above."
	}
	return s
}

// splitMissing separates the missing assets, reported under their own
// heading, from the pins that could not be verified.
func splitMissing(shown []Problem) (missing, others []Problem) {
	for _, p := range shown {
		if p.Status == verify.StatusMissing && p.URL != "" {
			missing = append(missing, p)
		} else {
			others = append(others, p)
		}
	}
	return missing, others
}

func writeMissing(b *strings.Builder, run Run, missing []Problem, budget *markdown.Budget) {
	writeList(b, run, missing, "\n### Missing: the pinned file is gone\n\n"+missingText, budget)
}

const missingText = "These URLs answer 404 or 410, or their release or asset no longer exists. " +
	"**What to do:** upload the file again (it must hash to the pinned SHA-256), or change the pin. " +
	"This issue closes by itself once every pin verifies.\n\n"

func writeProblems(b *strings.Builder, run Run, shown []Problem, budget *markdown.Budget) {
	writeList(b, run, shown, "\n### Could not be verified (not drift)\n\n"+problemsText, budget)
}

const problemsText = "These pins were not checked against their bytes, so nothing is known about drift in them.\n\n"

func writeList(b *strings.Builder, run Run, shown []Problem, head string, budget *markdown.Budget) {
	if len(shown) == 0 {
		return
	}
	if !budget.Reserve(len(head) + noteRoom) {
		return
	}
	b.WriteString(head)
	ps := append([]Problem(nil), shown...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].key() < ps[j].key() })
	listed := 0
	for _, p := range ps {
		what := p.URL
		if what == "" && len(p.Pins) > 0 && p.Pins[0].Path != "" {
			what = p.Pins[0].Path
		}
		line := fmt.Sprintf("- **%s** %s: %s", p.Status, markdown.Code(what), markdown.Code(oneLine(p.Message)))
		if locs := locations(run, p.Pins); locs != "" {
			line += fmt.Sprintf(" (pinned at %s)", locs)
		}
		if p.Status == verify.StatusMissing {
			// What a re-upload must hash to, in full: the one thing the
			// person fixing it needs to compare.
			if shas := pinnedSHAs(p.Pins); len(shas) > 0 {
				line += "; the file must hash to " + strings.Join(shas, " or ")
			}
		}
		line += "\n"
		if !budget.Take(line) {
			break
		}
		b.WriteString(line)
		listed++
	}
	budget.Release(noteRoom)
	if left := len(ps) - listed; left > 0 {
		fmt.Fprintf(b, "- _%d more not listed: GitHub limits an issue to %d characters._\n", left, markdown.MaxBody)
	}
}

// pinnedSHAs lists the distinct digests pinned, as code, at most
// maxListed of them.
func pinnedSHAs(pins []PinRef) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range pins {
		d := labelled(p.Algorithm, p.Digest)
		if d == "" || seen[d] {
			continue
		}
		seen[d] = true
		if len(out) == maxListed {
			break
		}
		out = append(out, markdown.Code(d))
	}
	return out
}

func immutableAssets(ds []Drift) []string {
	var out []string
	for _, d := range ds {
		if d.Asset.Immutable {
			out = append(out, markdown.Code(d.Asset.Name))
		}
	}
	return out
}

func assetCell(d Drift) string {
	name := markdown.Cell(d.Asset.Name)
	if d.Asset.ReleaseURL != "" {
		name = markdown.Link(name, d.Asset.ReleaseURL)
	}
	if d.Asset.ReleaseTag != "" {
		name += "<br>" + markdown.Cell(d.Asset.ReleaseTag)
	}
	return name
}

// locations links each distinct pinned line at the verified commit; it is
// safe in a table cell. At most ten are listed.
func locations(run Run, pins []PinRef) string {
	seen := map[string]bool{}
	var out []string
	for _, p := range pins {
		if p.Line <= 0 {
			continue
		}
		label := fmt.Sprintf("%s:%d", p.File, p.Line)
		if seen[label] {
			continue
		}
		seen[label] = true
		if len(out) == maxListed {
			out = append(out, fmt.Sprintf("%d more", countLines(pins)-maxListed))
			break
		}
		if run.Commit == "" {
			out = append(out, markdown.Cell(label))
			continue
		}
		out = append(out, markdown.Link(markdown.Cell(label),
			fmt.Sprintf("%s/%s/blob/%s/%s#L%d", run.Repo.web(), run.Repo.FullName(), run.Commit, p.File, p.Line)))
	}
	return strings.Join(out, ", ")
}

// maxListed bounds the lines and symbols one table cell lists.
const maxListed = 10

func countLines(pins []PinRef) int {
	seen := map[string]bool{}
	for _, p := range pins {
		if p.Line > 0 {
			seen[fmt.Sprintf("%s:%d", p.File, p.Line)] = true
		}
	}
	return len(seen)
}

// feedCounts summarises what the pins feed, "MANIFEST: 4 rows<br>BASE_KERNELS:
// 1 row"; the rows themselves are listed in the details block.
func feedCounts(pins []PinRef) string {
	count := map[string]int{}
	var syms []string
	for _, p := range pins {
		if count[p.Symbol] == 0 {
			syms = append(syms, p.Symbol)
		}
		count[p.Symbol]++
	}
	var parts []string
	for i, s := range syms {
		if i == maxListed {
			parts = append(parts, fmt.Sprintf("%d more symbols", len(syms)-maxListed))
			break
		}
		parts = append(parts, fmt.Sprintf("%s: %d %s", markdown.Cell(s), count[s], plural(count[s], "row", "rows")))
	}
	return strings.Join(parts, "<br>")
}

func codeList(alg pin.Algorithm, shas []string) string {
	var out []string
	for i, s := range shas {
		if i == maxListed {
			out = append(out, fmt.Sprintf("%d more", len(shas)-maxListed))
			break
		}
		out = append(out, markdown.Cell(shortLabelled(labelled(alg, s))))
	}
	return strings.Join(out, ", ")
}

func size(n int64) string {
	switch {
	case n < 0:
		return "unknown size"
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func uploaded(web string, a AssetFacts, firstSeen string) string {
	var parts []string
	if !a.UploadedAt.IsZero() {
		s := a.UploadedAt.UTC().Format("2006-01-02 15:04 UTC")
		if a.Uploader != "" {
			s += " by " + markdown.Login(web, a.Uploader)
		}
		parts = append(parts, s)
	}
	if a.Size >= 0 {
		parts = append(parts, size(a.Size))
	}
	if t, err := time.Parse(time.RFC3339, firstSeen); err == nil {
		parts = append(parts, "first seen "+t.UTC().Format("2006-01-02 15:04 UTC"))
	}
	if len(parts) == 0 {
		return "unknown"
	}
	return strings.Join(parts, "<br>")
}

func commitLink(run Run) string {
	if run.Commit == "" {
		return "the default branch"
	}
	return markdown.Link(markdown.Code(shortsha.Of(run.Commit, shortsha.Commit)), fmt.Sprintf("%s/%s/commit/%s", run.Repo.web(), run.Repo.FullName(), run.Commit))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// oneLine puts a message on one line, its runs of white space made one
// space; markdown.Code then quotes it.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// writeDriftHeadline writes the heading and first paragraph of an issue
// with drift, pinned in where (a file, or "2 files"), and the caution
// for assets of immutable releases.
func writeDriftHeadline(b *strings.Builder, run Run, where string) {
	n, name := driftURLs(run.Drift), driftAlgorithmName(run.Drift)
	fmt.Fprintf(b, "## %d release %s no longer %s the %s pinned in %s\n\n",
		n, plural(n, "asset", "assets"), plural(n, "matches", "match"), name, where)
	fmt.Fprintf(b, "The bytes served at %s changed after %s pinned. "+
		"Anyone who downloads %s now gets a %s mismatch. Verified at %s.\n\n",
		plural(n, "this URL", "these URLs"), plural(n, "its digest was", "their digests were"),
		plural(n, "it", "them"), name, commitLink(run))
	if imm := immutableAssets(run.Drift); len(imm) > 0 {
		list := strings.Join(imm, ", ")
		if len(imm) > 10 {
			list = strings.Join(imm[:10], ", ") + fmt.Sprintf(" and %d more", len(imm)-10)
		}
		fmt.Fprintf(b, "> [!CAUTION]\n> %s %s in an **immutable** release: GitHub promises these bytes cannot change, yet they did. "+
			"Treat this as a security incident: find out who or what replaced the file before changing any pin. "+
			"Do not merge a SHA bump for %s.\n\n", list, plural(len(imm), "is", "are"), plural(len(imm), "it", "them"))
	}
}
