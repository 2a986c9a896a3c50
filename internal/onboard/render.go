package onboard

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pindrift/pindrift/internal/discover"
	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/report"
	"github.com/pindrift/pindrift/internal/shortsha"
)

// Bounds on what a body lists, so a repository with thousands of files or
// findings still gets a PR GitHub accepts and a person can read.
const (
	// MaxFilesShown is how many files the table lists; the configuration
	// lists them all.
	MaxFilesShown = 50
	// MaxFindingsShown is how many unresolved or invalid digests are
	// listed, each with its reason.
	MaxFindingsShown = 20
	// maxConfigBytes is the room for the configuration's code block,
	// under GitHub's body limit with room for the rest of the body.
	maxConfigBytes = markdown.MaxBody / 2
)

// Body is the onboarding PR's description: what was found, what was left
// out and why, what the App will do once the configuration is merged, and
// how to say no. Every path and message comes from the repository, so
// each is shown as code.
func Body(f Facts) string {
	var b strings.Builder
	files, pins := 0, 0
	for _, file := range f.Found.Files {
		if file.Pins > 0 {
			files++
			pins += file.Pins
		}
	}
	fmt.Fprintf(&b, "%s\npindrift found %s in %s on %s (%s). Merging this pull request adds %s, which lists %s; "+
		"until it is merged, pindrift verifies nothing in this repository and reports nothing.\n\n",
		Marker, report.Count(pins, "pin", "pins"), report.Count(files, "file", "files"), markdown.Code(f.DefaultBranch),
		markdown.Code(shortsha.Of(f.BaseCommit, shortsha.Commit)), markdown.Code(f.ConfigPath), plural(files, "it", "them"))

	b.WriteString("## What pindrift found\n\n| File | Format | Pins | Left unresolved |\n|---|---|---:|---:|\n")
	shown := 0
	for _, file := range f.Found.Files {
		if file.Pins == 0 {
			continue
		}
		if shown == MaxFilesShown {
			fmt.Fprintf(&b, "| …and %d more files | | | |\n", files-shown)
			break
		}
		shown++
		fmt.Fprintf(&b, "| %s | %s | %d | %d |\n", markdown.Cell(file.Path), formatName(file.Format), file.Pins,
			len(file.Unresolved)+len(file.Invalid))
	}
	b.WriteString("\n")
	if left := unresolved(f.Found); left != "" {
		b.WriteString("## What was left unresolved\n\n" +
			"These digests are in the files above but pindrift cannot verify them, for the reason given; the rest are verified.\n\n" + left + "\n")
	}
	if out := passedOver(f.Found); out != "" {
		b.WriteString("## What was left out\n\n" + out + "\n")
	}

	b.WriteString("## What pindrift will do once this is merged\n\n" +
		"- Verify every pin in the listed files against the live release assets: on each release of this repository, " +
		"on pushes to " + markdown.Code(f.DefaultBranch) + " that change a listed file or the configuration, " +
		"on pull requests that change them (as a check), and nightly.\n" +
		"- Keep one tracking issue open while any pinned asset no longer matches its digest or is gone, or a listed file cannot be read, and close it when every pin verifies again.\n" +
		"- Open a pull request that updates the drifted digests, for a person to review; pindrift never pushes to " +
		markdown.Code(f.DefaultBranch) + " and never merges. Turn this off with `fix_pr: {enabled: false}`.\n\n")

	b.WriteString("## The configuration\n\n")
	lines := strings.Split(strings.TrimRight(string(f.Config), "\n"), "\n")
	b.WriteString(markdown.BlockWithin("yaml", 0, maxConfigBytes, lines...))
	b.WriteString("\nEdit it on this branch before merging to change what is verified; once someone else commits here, " +
		"pindrift leaves the branch alone. The options are in pindrift's documentation.\n\n")

	b.WriteString("## Not wanted?\n\nClose this pull request unmerged: pindrift will not open another one for this repository. " +
		"To ask again later, comment " + markdown.Code(Command) + " on any issue of this repository (it needs write access).\n")
	return markdown.Clip(b.String(), markdown.MaxBody)
}

// Announcement is the reply to "/pindrift onboard" once the PR is open.
func Announcement(pr int) string {
	return fmt.Sprintf("pindrift opened #%d, which adds the configuration for the pins it found: merge it to start verifying, or close it to say no.", pr)
}

func configuredReply(f Facts) string {
	return "This repository already has a pindrift configuration (" + markdown.Code(f.ConfigPath) +
		", or the owner's default in its " + markdown.Code(".github") + " repository), so there is nothing to onboard. " +
		"Edit the configuration to change what is verified."
}

// nothingFoundReply answers "/pindrift onboard" when discovery found no
// pins: no PR is opened, and the answer says what was looked at.
func nothingFoundReply(f Facts) string {
	return "pindrift opens no pull request: " + nothingFound(f)
}

func nothingFound(f Facts) string {
	var b strings.Builder
	r := f.Found
	fmt.Fprintf(&b, "no file on %s (%s) pairs a release URL with a digest pindrift can verify (%s listed, %s read).",
		markdown.Code(f.DefaultBranch), markdown.Code(shortsha.Of(f.BaseCommit, shortsha.Commit)),
		report.Count(r.Listed, "file", "files"), report.Count(r.Reads, "file", "files"))
	if out := passedOver(r); out != "" {
		b.WriteString(" What was passed over, and why:\n\n" + strings.TrimRight(out, "\n"))
	} else {
		b.WriteString(" pindrift reads Python and Starlark modules and JSON, YAML and TOML documents.")
	}
	b.WriteString("\n\nA file pindrift did not recognise can still be listed by hand in " + markdown.Code(f.ConfigPath) +
		" (with `url_fields` or `digest_fields` for unusual keys).")
	return b.String()
}

// unresolved lists, bounded, the digests in the files with pins that
// pindrift cannot use, each with its reason.
func unresolved(r *discover.Result) string {
	var b strings.Builder
	shown, total := 0, 0
	for _, file := range r.Files {
		for _, fd := range slices.Concat(file.Unresolved, file.Invalid) {
			total++
			if shown < MaxFindingsShown {
				shown++
				fmt.Fprintf(&b, "- %s: %s\n", markdown.Code(fd.Where(file.Path)), markdown.Code(fd.Message))
			}
		}
	}
	if total > shown {
		fmt.Fprintf(&b, "- …and %d more\n", total-shown)
	}
	return b.String()
}

// passedOver says, bounded, what discovery did not configure and why:
// files whose digests pair with no URL, candidates it could not evaluate
// or did not read, what it skipped unread, and a listing cut short. It is
// "" when discovery left nothing out worth saying.
func passedOver(r *discover.Result) string {
	var b strings.Builder
	some := func(items []string, more string) string {
		if len(items) <= MaxFindingsShown {
			return strings.Join(items, ", ")
		}
		return strings.Join(items[:MaxFindingsShown], ", ") + fmt.Sprintf(" and %d more %s", len(items)-MaxFindingsShown, more)
	}
	if len(r.Unpaired) > 0 {
		var names []string
		for _, file := range r.Unpaired {
			names = append(names, markdown.Code(file.Path))
		}
		fmt.Fprintf(&b, "- Digests with no URL to pair with, so not configured (list the file by hand if it is yours): %s.\n",
			some(names, "files"))
	}
	if len(r.Failed) > 0 {
		var items []string
		for _, s := range r.Failed {
			items = append(items, markdown.Code(s.Path)+" ("+markdown.Code(s.Reason)+")")
		}
		fmt.Fprintf(&b, "- Could not be evaluated: %s.\n", some(items, "files"))
	}
	if len(r.Folders) > 0 {
		var names []string
		for _, d := range r.Folders {
			names = append(names, markdown.Code(d+"/"))
		}
		fmt.Fprintf(&b, "- Skipped as vendored, generated or test fixtures: %s.\n", some(names, "folders"))
	}
	for _, reason := range slices.Sorted(maps.Keys(r.Skipped)) {
		if reason == discover.ReasonFolder {
			continue // said above, folder by folder
		}
		// The reasons are discovery's own constants, but are shown as
		// code all the same: the map came through a Result.
		fmt.Fprintf(&b, "- Skipped without reading, %s: %s.\n", markdown.Code(reason), report.Count(r.Skipped[reason], "file", "files"))
	}
	if len(r.Unread) > 0 {
		var names []string
		for _, u := range r.Unread {
			names = append(names, markdown.Code(u))
		}
		if r.FileLimit > 0 {
			fmt.Fprintf(&b, "- Not read, after %s with pins, the most one configuration lists: %s.\n", report.Count(r.FileLimit, "file", "files"), some(names, "files"))
		} else {
			fmt.Fprintf(&b, "- Not read, over the budget of %s a discovery makes: %s.\n", report.Count(r.MaxReads, "read", "reads"), some(names, "files"))
		}
	}
	if r.Truncated {
		b.WriteString("- GitHub cut the listing of the repository short: files past its end were not looked at.\n")
	}
	return b.String()
}

func formatName(f pin.Format) string {
	switch f {
	case pin.Python:
		return "Python"
	case pin.Starlark:
		return "Starlark"
	case pin.JSON:
		return "JSON"
	case pin.YAML:
		return "YAML"
	case pin.TOML:
		return "TOML"
	}
	return markdown.Cell(string(f))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
