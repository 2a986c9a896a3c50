package onboard

import (
	"fmt"
	"strings"

	"github.com/pindrift/pindrift/internal/discover"
	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/pin"
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
		Marker, count(pins, "pin", "pins"), count(files, "file", "files"), markdown.Code(f.DefaultBranch),
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
	if left := leftOut(f.Found, true); left != "" {
		b.WriteString("## What was left unresolved\n\n" +
			"These digests are in the files above but pindrift cannot verify them, for the reason given; the rest are verified.\n\n" + left + "\n")
	}

	b.WriteString("## What pindrift will do once this is merged\n\n" +
		"- Verify every pin in the listed files against the live release assets: on each release of this repository, " +
		"on pushes to " + markdown.Code(f.DefaultBranch) + " that change a listed file or the configuration, " +
		"on pull requests that change them (as a check), and nightly.\n" +
		"- Keep one tracking issue open while any pinned asset no longer matches its digest, and close it when they all match again.\n" +
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
	fmt.Fprintf(&b, "no file on %s (%s) pairs a release URL with a digest pindrift can verify.",
		markdown.Code(f.DefaultBranch), markdown.Code(shortsha.Of(f.BaseCommit, shortsha.Commit)))
	if left := leftOut(f.Found, false); left != "" {
		b.WriteString(" These candidates were skipped:\n\n" + left)
	} else {
		b.WriteString(" pindrift reads Python and Starlark modules and JSON, YAML and TOML documents; " +
			"list a manifest in " + markdown.Code(f.ConfigPath) + " yourself if it holds pins under another name.")
	}
	return b.String()
}

// leftOut lists, bounded, the digests discovery could not use and why:
// in the files with pins (withPins) or in the candidates without any.
func leftOut(r *discover.Result, withPins bool) string {
	var b strings.Builder
	shown, total := 0, 0
	for _, file := range r.Files {
		if (file.Pins > 0) != withPins {
			continue
		}
		for _, fd := range append(append([]pin.Finding(nil), file.Unresolved...), file.Invalid...) {
			total++
			if shown == MaxFindingsShown {
				continue
			}
			shown++
			fmt.Fprintf(&b, "- %s: %s\n", markdown.Code(fd.Where(file.Path)), markdown.Code(fd.Message))
		}
	}
	if total > shown {
		fmt.Fprintf(&b, "- …and %d more\n", total-shown)
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

func count(n int, one, many string) string { return fmt.Sprintf("%d %s", n, plural(n, one, many)) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
