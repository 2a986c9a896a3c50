package fixpr

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pindrift/pindrift/internal/patch"
)

// Title names what the PR changes.
func Title(fix *patch.Result) string {
	n := len(fix.Changes)
	if n == 1 {
		return fmt.Sprintf("Update the SHA-256 pin of %s to the bytes now published", assetList(fix.Changes[0]))
	}
	return fmt.Sprintf("Update %d SHA-256 pins in %s to the bytes now published", n, fix.File)
}

// CommitMessage lists every rewritten literal.
func CommitMessage(fix *patch.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", Title(fix))
	for _, c := range fix.Changes {
		fmt.Fprintf(&b, "- %s: %s -> %s (%s)\n", patch.Location(fix.File, c.Span), short(c.Old), short(c.New), assetList(c))
	}
	b.WriteString("\nMade by pindrift from the digests of the live release assets.\n")
	return b.String()
}

// Body explains the change, what each new digest is known to be, and what
// a reviewer must check before accepting new bytes.
func Body(f Facts, fix *patch.Result) string {
	var b strings.Builder
	b.WriteString(Marker + "\n")
	fmt.Fprintf(&b, "This pull request rewrites %d SHA-256 %s in `%s` to match the bytes now served at %s URLs",
		len(fix.Changes), plural(len(fix.Changes), "literal", "literals"), fix.File, plural(len(fix.Changes), "its", "their"))
	if f.TrackingIssue != 0 {
		fmt.Fprintf(&b, " (tracking issue #%d)", f.TrackingIssue)
	}
	b.WriteString(". Nothing else in the file changes.\n\n")
	b.WriteString("> [!WARNING]\n> **Merging accepts the new bytes for everyone who uses these pins.** Merge only if the re-upload was intended. " +
		"If it was not, restore the original files on the release instead and close this pull request; pindrift closes it by itself once the bytes match again.\n\n")
	b.WriteString("| Literal | Asset | Pinned | New | Uploaded | Provenance |\n|---|---|---|---|---|---|\n")
	for _, c := range fix.Changes {
		a := f.Assets[firstURL(c)]
		fmt.Fprintf(&b, "| %s | %s | `%s` | `%s` | %s | %s |\n", location(f, fix.File, c), assetList(c), short(c.Old), short(c.New),
			uploadedBy(f, a.UploadedAt.IsZero(), a.UploadedAt.UTC().Format("2006-01-02 15:04 UTC"), a.Uploader), provenance(f.Attestations[strings.ToLower(c.New)]))
	}
	b.WriteString("\n### Before merging, check\n\n")
	b.WriteString("- the uploads were made by whom, and when, you expect (the *Uploaded* column);\n")
	b.WriteString("- each new digest is attested by a workflow of this repository (the *Provenance* column); bytes without an attestation deserve a closer look. " +
		"pindrift reads the attestations but does not check their signatures: `gh attestation verify FILE --repo OWNER/REPO` does;\n")
	b.WriteString("- the release notes or the workflow run that replaced the files explain why.\n\n")
	b.WriteString("<details><summary>Full digests</summary>\n\n```\n")
	for _, c := range fix.Changes {
		fmt.Fprintf(&b, "%s\n  pinned   %s\n  new      %s\n", patch.Location(fix.File, c.Span), c.Old, c.New)
		for _, u := range c.URLs {
			fmt.Fprintf(&b, "  url      %s\n", u)
		}
	}
	b.WriteString("```\n\n</details>\n\n")
	b.WriteString("pindrift updates this branch while the drift changes and closes this pull request if the drift resolves another way. It never merges.\n")
	return b.String()
}

func location(f Facts, file string, c patch.Change) string {
	label := patch.Location(file, c.Span)
	if f.BaseCommit == "" {
		return "`" + label + "`"
	}
	return fmt.Sprintf("[`%s`](%s/%s/%s/blob/%s/%s#L%d)", label, strings.TrimRight(webURL(f), "/"), f.Repo.Owner, f.Repo.Name, f.BaseCommit, file, c.Span.Line)
}

func webURL(f Facts) string {
	if f.Repo.WebURL == "" {
		return "https://github.com"
	}
	return f.Repo.WebURL
}

func uploadedBy(f Facts, unknown bool, at, who string) string {
	if unknown {
		return "unknown"
	}
	if who != "" {
		return fmt.Sprintf("%s by [%s](%s/%s)", at, who, strings.TrimRight(webURL(f), "/"), who)
	}
	return at
}

func provenance(a Attestation) string {
	switch {
	case a.FromRepo && a.Workflow != "":
		return "attested: built by `" + a.Workflow + "` in this repository"
	case a.FromRepo:
		return "attested: built by a workflow of this repository"
	case a.Found:
		return "⚠️ attested, but not by this repository"
	}
	return "⚠️ no attestation"
}

// assetList names the assets a literal feeds.
func assetList(c patch.Change) string {
	seen := map[string]bool{}
	var names []string
	for _, u := range c.URLs {
		n := u[strings.LastIndexByte(u, '/')+1:]
		if !seen[n] {
			seen[n] = true
			names = append(names, "`"+n+"`")
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func firstURL(c patch.Change) string {
	if len(c.URLs) == 0 {
		return ""
	}
	return c.URLs[0]
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
