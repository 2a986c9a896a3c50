package patch

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/shortsha"
)

// Subject names what a fix changes, in one line of at most 256
// characters: the fix commit's subject and the fix PR's title. GitHub
// shows it as text, with `code` rendered and #1 and @alice linked, so the
// asset names are code (markdown.TitleCode) and no mention survives.
func Subject(fix *Result) string {
	n := len(fix.Changes)
	name := DigestName(fix.Changes)
	if n == 1 {
		f := "Update the " + name + " pin of %s to the bytes now published"
		return fmt.Sprintf(f, titleAssets(fix.Changes[0], markdown.MaxTitle-len(f)))
	}
	f := "Update %d " + name + " pins in %s to the bytes now published"
	return fmt.Sprintf(f, n, markdown.Title(fix.File, markdown.MaxTitle-len(f)-10))
}

// DigestName names the algorithm the changes rewrite ("SHA-256"), or
// says "digest" when they rewrite several.
func DigestName(changes []Change) string {
	algs := make([]pin.Algorithm, len(changes))
	for i, c := range changes {
		algs[i] = c.Promise().Algorithm
	}
	return pin.Naming(algs)
}

// CommitMessage is the one message of a fix commit, whoever makes it (the
// fix PR's push, `bot fix --commit`): the Subject, then every rewritten
// literal, at most maxCommitLines of them. GitHub links #1 and @alice in
// commit messages too, so names are neutralised as in the subject.
func CommitMessage(fix *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", Subject(fix))
	for i, c := range fix.Changes {
		if i == maxCommitLines {
			fmt.Fprintf(&b, "- and %d more\n", len(fix.Changes)-i)
			break
		}
		fmt.Fprintf(&b, "- %s: %s -> %s (%s)\n", markdown.Title(Location(fix.File, c.Span), markdown.MaxInline),
			shortsha.Of(c.Old, shortsha.Long), shortsha.Of(c.New, shortsha.Long), titleAssets(c, markdown.MaxInline))
	}
	b.WriteString("\nMade by pindrift from the digests of the live release assets.\n")
	return b.String()
}

// maxCommitLines bounds the literals a commit message lists.
const maxCommitLines = 200

// AssetNames are the distinct names (last URL segments) of the assets the
// literal feeds, sorted.
func (c Change) AssetNames() []string {
	seen := map[string]bool{}
	var names []string
	for _, u := range c.URLs {
		n := u[strings.LastIndexByte(u, '/')+1:]
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// titleAssets names the assets a literal feeds for a subject or a commit
// message, within about limit characters.
func titleAssets(c Change, limit int) string {
	names := c.AssetNames()
	var out []string
	used := 0
	for i, n := range names {
		each := max(limit/len(names), 40)
		s := markdown.TitleCode(n, each-4)
		if used+len([]rune(s))+2 > limit && i > 0 {
			out = append(out, fmt.Sprintf("%d more", len(names)-i))
			break
		}
		used += len([]rune(s)) + 2
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

// changed keeps the fixes that rewrite something.
func changed(fixes []*Result) []*Result {
	var out []*Result
	for _, f := range fixes {
		if f != nil && f.Changed() {
			out = append(out, f)
		}
	}
	return out
}

// SubjectOf is Subject for a fix across several files, in one commit:
// Subject itself when one file changes, so a repository with one manifest
// reads as it always has.
func SubjectOf(fixes []*Result) string {
	ch := changed(fixes)
	if len(ch) == 1 {
		return Subject(ch[0])
	}
	var all []Change
	for _, f := range ch {
		all = append(all, f.Changes...)
	}
	return fmt.Sprintf("Update %d %s pins in %d files to the bytes now published", len(all), DigestName(all), len(ch))
}

// CommitMessageOf is CommitMessage for a fix across several files: the
// SubjectOf, then every rewritten literal, file by file, at most
// maxCommitLines of them.
func CommitMessageOf(fixes []*Result) string {
	ch := changed(fixes)
	if len(ch) == 1 {
		return CommitMessage(ch[0])
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", SubjectOf(ch))
	total, i := 0, 0
	for _, f := range ch {
		total += len(f.Changes)
	}
	for _, f := range ch {
		for _, c := range f.Changes {
			if i == maxCommitLines {
				break
			}
			fmt.Fprintf(&b, "- %s: %s -> %s (%s)\n", markdown.Title(Location(f.File, c.Span), markdown.MaxInline),
				shortsha.Of(c.Old, shortsha.Long), shortsha.Of(c.New, shortsha.Long), titleAssets(c, markdown.MaxInline))
			i++
		}
	}
	if total > i {
		fmt.Fprintf(&b, "- and %d more\n", total-i)
	}
	b.WriteString("\nMade by pindrift from the digests of the live release assets.\n")
	return b.String()
}
