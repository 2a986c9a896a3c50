package issues

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pindrift/pindrift/internal/markdown"
)

// section is what the issue says about one manifest: its drift and
// problems, each holding only the pins of that file.
type section struct {
	path     string
	unread   string
	drift    []Drift
	missing  []Problem
	problems []Problem
}

func (s section) empty() bool {
	return s.unread == "" && len(s.drift) == 0 && len(s.missing) == 0 && len(s.problems) == 0
}

// sections splits the run by file, in the configuration's order; a file
// with nothing to report has no section. An asset pinned in two files is
// in both sections, each with its own pins and pinned digests. Pins naming
// a file the run does not list follow, in the order first seen, and a
// problem without pins comes last, under no file.
func sections(run Run, missing, others []Problem) []section {
	var order []string
	byPath := map[string]*section{}
	get := func(path string) *section {
		if s, ok := byPath[path]; ok {
			return s
		}
		s := &section{path: path}
		byPath[path] = s
		order = append(order, path)
		return s
	}
	for _, f := range run.Files {
		get(f.Path).unread = f.Unread
	}
	for _, d := range run.Drift {
		for _, path := range pinFiles(d.Pins) {
			fd := d
			fd.Pins = pinsIn(d.Pins, path)
			fd.Expected = nil
			for _, e := range d.Expected {
				if slices.ContainsFunc(fd.Pins, func(p PinRef) bool { return p.Digest == e }) {
					fd.Expected = append(fd.Expected, e)
				}
			}
			if len(fd.Expected) == 0 {
				fd.Expected = d.Expected // pins without digests: say what is known
			}
			get(path).drift = append(get(path).drift, fd)
		}
	}
	split := func(ps []Problem, add func(*section, Problem)) {
		for _, p := range ps {
			files := pinFiles(p.Pins)
			if len(files) == 0 {
				files = []string{""}
			}
			for _, path := range files {
				fp := p
				if path != "" {
					fp.Pins = pinsIn(p.Pins, path)
				}
				add(get(path), fp)
			}
		}
	}
	split(missing, func(s *section, p Problem) { s.missing = append(s.missing, p) })
	split(others, func(s *section, p Problem) { s.problems = append(s.problems, p) })
	// The problems of no file go last.
	if i := slices.Index(order, ""); i >= 0 {
		order = append(slices.Delete(order, i, i+1), "")
	}
	var out []section
	for _, path := range order {
		if s := byPath[path]; !s.empty() {
			out = append(out, *s)
		}
	}
	return out
}

// pinFiles lists the distinct files of pins, in order; a pin without one
// counts under "".
func pinFiles(pins []PinRef) []string {
	var out []string
	for _, p := range pins {
		if !slices.Contains(out, p.File) {
			out = append(out, p.File)
		}
	}
	return out
}

func pinsIn(pins []PinRef, path string) []PinRef {
	var out []PinRef
	for _, p := range pins {
		if p.File == path {
			out = append(out, p)
		}
	}
	return out
}

// renderFiles is Render for a run over several manifests (or one that
// could not be read): the summary, then a section per file, in the
// configuration's order, with that file's drifted assets, missing assets
// and problems, or why it could not be read. A file with nothing to report
// has no section, so a file whose drift resolves drops out of the issue.
func renderFiles(run Run, shown []Problem, st state) string {
	var b strings.Builder
	b.WriteString(Marker + "\n")
	tail := "\n" + st.encode() + "\n"
	missing, others := splitMissing(shown)
	secs := sections(run, missing, others)
	unread := run.unread()
	switch {
	case len(run.Drift) > 0:
		writeDriftHeadline(&b, run, fileCount(secs, func(s section) bool { return len(s.drift) > 0 }))
	case len(missing) > 0:
		m := len(missing)
		fmt.Fprintf(&b, "## %d release %s pinned in %s no longer %s\n\n",
			m, plural(m, "asset", "assets"), fileCount(secs, func(s section) bool { return len(s.missing) > 0 }), plural(m, "exists", "exist"))
		fmt.Fprintf(&b, "The bytes the manifests pin are no longer published at %s: anyone who downloads %s now gets an error. Verified at %s.\n\n",
			plural(m, "this URL", "these URLs"), plural(m, "it", "them"), commitLink(run))
	case len(unread) > 0:
		u := len(unread)
		fmt.Fprintf(&b, "## %d %s could not be read\n\n", u, plural(u, "manifest", "manifests"))
		fmt.Fprintf(&b, "pindrift does not know whether the pins in %s still match, so this issue stays open until %s can be read. "+
			"The other pins were verified at %s.\n\n", plural(u, "it", "them"), plural(u, "it", "they"), commitLink(run))
	default:
		fmt.Fprintf(&b, "## Every pinned release asset matches its SHA-256\n\n")
		fmt.Fprintf(&b, "Verified at %s.\n\n", commitLink(run))
	}
	var fix string
	if len(run.Drift) > 0 {
		fix = howToFix(run)
	}
	budget := markdown.NewBudget(markdown.MaxBody - b.Len() - len(fix) - len(tail))
	budget.Reserve(noteRoom)
	rowsLeft, filesLeft := 0, 0
	var listed []Drift
	for i, s := range secs {
		head := "### In " + markdown.Code(s.path) + "\n"
		if s.path == "" {
			head = "### In no particular file\n"
		}
		if i > 0 {
			head = "\n" + head
		}
		if !budget.Reserve(len(head) + noteRoom) {
			filesLeft = len(secs) - i
			break
		}
		budget.Release(noteRoom)
		b.WriteString(head)
		if s.unread != "" {
			line := "\n**Could not be read:** " + markdown.Code(oneLine(s.unread)) +
				". Its pins were not checked, so nothing is known about drift in them.\n"
			if budget.Take(line) {
				b.WriteString(line)
			}
		}
		if len(s.drift) > 0 && !budget.Take("\n"+driftHeader) {
			rowsLeft += len(s.drift)
		} else if len(s.drift) > 0 {
			b.WriteString("\n" + driftHeader)
			for j, d := range s.drift {
				row := driftRow(run, d, st)
				if !budget.Take(row) {
					rowsLeft += len(s.drift) - j
					break
				}
				b.WriteString(row)
				listed = append(listed, d)
			}
		}
		writeList(&b, run, s.missing, "\n**Missing: the pinned file is gone.** "+missingText, budget)
		writeList(&b, run, s.problems, "\n**Could not be verified (not drift).** "+problemsText, budget)
	}
	budget.Release(noteRoom)
	if rowsLeft > 0 || filesLeft > 0 {
		var left []string
		if rowsLeft > 0 {
			left = append(left, fmt.Sprintf("%d more drifted %s", rowsLeft, plural(rowsLeft, "row", "rows")))
		}
		if filesLeft > 0 {
			left = append(left, fmt.Sprintf("%d more %s", filesLeft, plural(filesLeft, "file", "files")))
		}
		note := fmt.Sprintf("\n_%s not listed: GitHub limits an issue to %d characters._\n", strings.Join(left, " and "), markdown.MaxBody)
		budget.Take(note)
		b.WriteString(note)
	}
	if len(listed) > 0 {
		writeDetails(&b, listed, true, budget)
	}
	b.WriteString(fix)
	b.WriteString(tail)
	return b.String()
}

// fileCount names where something was found: the one file as code, or
// how many files.
func fileCount(secs []section, has func(section) bool) string {
	var paths []string
	for _, s := range secs {
		if has(s) && s.path != "" {
			paths = append(paths, s.path)
		}
	}
	if len(paths) == 1 {
		return markdown.Code(paths[0])
	}
	return fmt.Sprintf("%d files", len(paths))
}
