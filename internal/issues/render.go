package issues

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Render writes the tracking issue's body: a summary, one table row per
// drifted asset, the problems that are not drift, how to fix it, and the
// hidden state block. It depends only on the drift, the problems shown and
// the verified commit, so a repeat run renders the same bytes.
func Render(run Run, shown []Problem, st state) string {
	var b strings.Builder
	b.WriteString(Marker + "\n")
	if len(run.Drift) == 0 {
		fmt.Fprintf(&b, "## Every pinned release asset matches its SHA-256\n\n")
		fmt.Fprintf(&b, "Verified at %s.\n", commitLink(run))
		writeProblems(&b, run, shown)
		b.WriteString("\n" + st.encode() + "\n")
		return b.String()
	}
	n := len(run.Drift)
	fmt.Fprintf(&b, "## %d release %s no longer %s the SHA-256 pinned in `%s`\n\n",
		n, plural(n, "asset", "assets"), plural(n, "matches", "match"), run.File)
	fmt.Fprintf(&b, "The bytes served at %s changed after %s pinned. "+
		"Anyone who downloads %s now gets a SHA-256 mismatch. Verified at %s.\n\n",
		plural(n, "this URL", "these URLs"), plural(n, "its digest was", "their digests were"),
		plural(n, "it", "them"), commitLink(run))
	if imm := immutableAssets(run.Drift); len(imm) > 0 {
		fmt.Fprintf(&b, "> [!CAUTION]\n> %s %s in an **immutable** release: GitHub promises these bytes cannot change, yet they did. "+
			"Treat this as a security incident: find out who or what replaced the file before changing any pin. "+
			"Do not merge a SHA bump for %s.\n\n", strings.Join(imm, ", "), plural(len(imm), "is", "are"), plural(len(imm), "it", "them"))
	}
	b.WriteString("| Asset | Pinned → live | Pinned at | Feeds | Uploaded |\n")
	b.WriteString("|---|---|---|---|---|\n")
	for _, d := range run.Drift {
		fmt.Fprintf(&b, "| %s | %s →<br>`%s` | %s | %s | %s |\n",
			assetCell(d), codeList(d.Expected), short(d.Got), locations(run, d.Pins), feedCounts(d.Pins),
			uploaded(run.Repo.web(), d.Asset, st.Drift[d.URL].FirstSeen))
	}
	b.WriteString("\n<details><summary>Full digests and the rows each pin feeds</summary>\n\n```\n")
	for _, d := range run.Drift {
		fmt.Fprintf(&b, "%s\n  url      %s\n", d.Asset.Name, d.URL)
		for _, e := range d.Expected {
			fmt.Fprintf(&b, "  pinned   %s\n", e)
		}
		fmt.Fprintf(&b, "  live     %s\n", d.Got)
		for _, p := range d.Pins {
			fmt.Fprintf(&b, "  feeds    %s\n", p.Path)
		}
	}
	b.WriteString("```\n\n</details>\n")
	writeProblems(&b, run, shown)
	b.WriteString("\n### How to fix\n\n")
	b.WriteString("- **If the new bytes were not meant to be published** (a forced re-run, an asset replaced by mistake): " +
		"upload the original file again. The pinned digests above are what it must hash to. This issue closes by itself once they match.\n")
	switch {
	case run.FixPR != nil:
		fmt.Fprintf(&b, "- **If the new bytes are intended:** review #%d, which rewrites exactly the drifted SHA literals. "+
			"Merging it accepts the new bytes for every user.\n", run.FixPR.Number)
	case run.FixBlocked != "":
		fmt.Fprintf(&b, "- **If the new bytes are intended:** update the pins by hand. No fix PR was opened: %s\n", run.FixBlocked)
	default:
		b.WriteString("- **If the new bytes are intended:** update the pinned SHA-256 literals to the live digests above.\n")
	}
	b.WriteString("\n" + st.encode() + "\n")
	return b.String()
}

func writeProblems(b *strings.Builder, run Run, shown []Problem) {
	if len(shown) == 0 {
		return
	}
	b.WriteString("\n### Could not be verified (not drift)\n\n")
	b.WriteString("These pins were not checked against their bytes, so nothing is known about drift in them.\n\n")
	ps := append([]Problem(nil), shown...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].key() < ps[j].key() })
	for _, p := range ps {
		what := p.URL
		if what == "" && len(p.Pins) > 0 && p.Pins[0].Path != "" {
			what = p.Pins[0].Path
		}
		fmt.Fprintf(b, "- **%s** %s: %s", p.Status, inlineCode(what), oneLine(p.Message))
		if locs := locations(run, p.Pins); locs != "" {
			fmt.Fprintf(b, " (pinned at %s)", locs)
		}
		b.WriteString("\n")
	}
}

func immutableAssets(ds []Drift) []string {
	var out []string
	for _, d := range ds {
		if d.Asset.Immutable {
			out = append(out, "`"+d.Asset.Name+"`")
		}
	}
	return out
}

func assetCell(d Drift) string {
	name := "`" + d.Asset.Name + "`"
	if d.Asset.ReleaseURL != "" {
		name = "[" + name + "](" + d.Asset.ReleaseURL + ")"
	}
	if d.Asset.ReleaseTag != "" {
		name += "<br>" + inlineCode(d.Asset.ReleaseTag)
	}
	return name
}

// locations links each distinct pinned line at the verified commit.
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
		if run.Commit == "" {
			out = append(out, "`"+label+"`")
			continue
		}
		out = append(out, fmt.Sprintf("[`%s`](%s/%s/blob/%s/%s#L%d)", label, run.Repo.web(), run.Repo.FullName(), run.Commit, p.File, p.Line))
	}
	return strings.Join(out, ", ")
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
	parts := make([]string, len(syms))
	for i, s := range syms {
		parts[i] = fmt.Sprintf("`%s`: %d %s", s, count[s], plural(count[s], "row", "rows"))
	}
	return strings.Join(parts, "<br>")
}

func codeList(shas []string) string {
	out := make([]string, len(shas))
	for i, s := range shas {
		out[i] = "`" + short(s) + "`"
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
			// A profile link, not an @-mention: mentions would notify the
			// uploader on every edit of the body.
			s += fmt.Sprintf(" by [%s](%s/%s)", a.Uploader, web, a.Uploader)
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
	return fmt.Sprintf("[`%s`](%s/%s/commit/%s)", short7(run.Commit), run.Repo.web(), run.Repo.FullName(), run.Commit)
}

func short7(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// inlineCode quotes text as Markdown code, whatever backticks it holds.
func inlineCode(s string) string {
	if s == "" {
		return ""
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// oneLine keeps a message on one line of a Markdown list, and stops text
// from a server or a manifest from injecting markup.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	r := strings.NewReplacer("<", "&lt;", ">", "&gt;", "|", "\\|", "@", "@\u200b")
	return r.Replace(s)
}
