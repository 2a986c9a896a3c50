package fixpr

import (
	"fmt"
	"strings"

	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/patch"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/shortsha"
)

// Body explains the change, what each new digest is known to be, and what
// a reviewer must check before accepting new bytes. Every untrusted
// string in it is inert code (package markdown), and it fits in GitHub's
// 65,536 characters: rows and digests that do not fit are counted.
//
// A fix of one file, with nothing held back, reads as it always has; a fix
// across several files, or one that leaves a file alone, lists the changes
// file by file and says what it does not fix.
func Body(f Facts) string {
	fixable, blocked := classify(f.Fixes)
	if len(fixable) != 1 || len(blocked) > 0 || len(f.Unread) > 0 {
		return bodyFiles(f, fixable, blocked)
	}
	fix := fixable[0]
	var b strings.Builder
	b.WriteString(Marker + "\n")
	fmt.Fprintf(&b, "This pull request rewrites %d %s %s in %s to match the bytes now served at %s URLs",
		len(fix.Changes), patch.DigestName(fix.Changes), plural(len(fix.Changes), "literal", "literals"), markdown.Code(fix.File), plural(len(fix.Changes), "its", "their"))
	if f.TrackingIssue != 0 {
		fmt.Fprintf(&b, " (tracking issue #%d)", f.TrackingIssue)
	}
	b.WriteString(". Nothing else in the file changes.\n\n")
	b.WriteString(warning)
	// Room too for the hands-off marker Decide may append to the body.
	budget := markdown.NewBudget(markdown.MaxBody - b.Len() - len(check) - len(tail) - len(detailsOpen) - len(detailsClose) - len(handsOff) - 2)

	budget.Take(changeHeader)
	b.WriteString(changeHeader)
	budget.Reserve(noteRoom)
	rows := 0
	for _, c := range fix.Changes {
		row := changeRow(f, fix.File, c)
		if !budget.Take(row) {
			break
		}
		b.WriteString(row)
		rows++
	}
	budget.Release(noteRoom)
	if left := len(fix.Changes) - rows; left > 0 {
		note := fmt.Sprintf("\n_%d more rewritten %s not listed: GitHub limits a pull request's description to %d characters; the commit changes them all._\n",
			left, plural(left, "literal is", "literals are"), markdown.MaxBody)
		budget.Take(note)
		b.WriteString(note)
	}
	b.WriteString(check)
	writeDetails(&b, []*patch.Result{{File: fix.File, Changes: fix.Changes[:rows]}}, budget)
	b.WriteString(tail)
	return b.String()
}

const (
	warning = "> [!WARNING]\n> **Merging accepts the new bytes for everyone who uses these pins.** Merge only if the re-upload was intended. " +
		"If it was not, restore the original files on the release instead and close this pull request; pindrift closes it by itself once the bytes match again.\n\n"
	check = "\n### Before merging, check\n\n" +
		"- the uploads were made by whom, and when, you expect (the *Uploaded* column);\n" +
		"- each new digest is attested by a workflow of this repository (the *Provenance* column); bytes without an attestation deserve a closer look. " +
		"pindrift reads the attestations but does not check their signatures: `gh attestation verify FILE --repo OWNER/REPO` does;\n" +
		"- the release notes or the workflow run that replaced the files explain why.\n"
	tail                      = "\npindrift updates this branch while the drift changes and closes this pull request if the drift resolves another way. It never merges.\n"
	detailsOpen, detailsClose = "\n<details><summary>Full digests</summary>\n\n", "\n</details>\n"
	changeHeader              = "| Literal | Asset | Pinned | New | Uploaded | Provenance |\n|---|---|---|---|---|---|\n"
)

// changeRow is c's row in the table of rewritten literals.
func changeRow(f Facts, file string, c patch.Change) string {
	a := f.Assets[firstURL(c)]
	return fmt.Sprintf("| %s | %s | %s | %s | %s | %s |\n", location(f, file, c), assetList(c), markdown.Cell(shortsha.Of(c.Old, shortsha.Long)), markdown.Cell(shortsha.Of(c.New, shortsha.Long)),
		uploadedBy(f, a.UploadedAt.IsZero(), a.UploadedAt.UTC().Format("2006-01-02 15:04 UTC"), a.Uploader), provenance(f, c))
}

// writeDetails writes the full digests of the changes listed, if they fit.
func writeDetails(b *strings.Builder, fixes []*patch.Result, budget *markdown.Budget) {
	var lines []string
	for _, fix := range fixes {
		for _, c := range fix.Changes {
			lines = append(lines, patch.Location(fix.File, c.Span), "  pinned   "+c.Old, "  new      "+c.New)
			for _, u := range c.URLs {
				lines = append(lines, "  url      "+u)
			}
		}
	}
	if block := markdown.BlockWithin("", 2*markdown.MaxInline, budget.Left(), lines...); block != "" {
		b.WriteString(detailsOpen + block + detailsClose)
	}
}

// noteRoom is kept free for a line saying what was left out.
const noteRoom = 200

func location(f Facts, file string, c patch.Change) string {
	label := markdown.Cell(patch.Location(file, c.Span))
	if f.BaseCommit == "" {
		return label
	}
	return markdown.Link(label, fmt.Sprintf("%s/%s/%s/blob/%s/%s#L%d", strings.TrimRight(webURL(f), "/"), f.Repo.Owner, f.Repo.Name, f.BaseCommit, file, c.Span.Line))
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
		return at + " by " + markdown.Login(webURL(f), who)
	}
	return at
}

func provenance(f Facts, c patch.Change) string {
	k := c.Promise()
	if k.Algorithm != pin.SHA256 {
		// Attestations name their subjects by SHA-256 only.
		return "not looked up: attestations name SHA-256 digests, this pin is " + k.Algorithm.Title()
	}
	a := f.Attestations[k.Hex]
	switch {
	case a.FromRepo && a.Workflow != "":
		return "attested: built by " + markdown.Cell(a.Workflow) + " in this repository"
	case a.FromRepo:
		return "attested: built by a workflow of this repository"
	case a.Found:
		return "⚠️ attested, but not by this repository"
	}
	return "⚠️ no attestation"
}

// assetList names the assets a literal feeds, as code safe in a table
// cell; at most ten.
func assetList(c patch.Change) string {
	names := c.AssetNames()
	var out []string
	for i, n := range names {
		if i == 10 {
			out = append(out, fmt.Sprintf("%d more", len(names)-i))
			break
		}
		out = append(out, markdown.Cell(n))
	}
	return strings.Join(out, ", ")
}

func firstURL(c patch.Change) string {
	if len(c.URLs) == 0 {
		return ""
	}
	return c.URLs[0]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
