package strictyaml

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong with a configuration, and where it is.
type Problem struct {
	// Line and Column are 1-based, in the file; both are 0 when the value
	// did not come from the file.
	Line, Column int
	// Env names the environment variable the value came from, if it did.
	Env string
	// Key is the setting, e.g. "manifests[0].path"; empty for a file that
	// cannot be parsed at all.
	Key     string
	Message string
}

// Error is an invalid configuration: every problem found, in file order.
// Its text never contains a secret's value.
type Error struct {
	// Source is where the file was read from when that is not the local
	// disk, e.g. "acme/.github@main".
	Source string
	// File names the file as its author knows it.
	File string
	// OwnerDefault reports a repository configuration read from the
	// owner's .github repository rather than the repository's own: its
	// lines are not the repository's, so a check run there cannot
	// annotate them.
	OwnerDefault bool
	Problems     []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.where(p))
		if p.Key != "" {
			b.WriteString(p.Key)
			b.WriteString(": ")
		}
		b.WriteString(p.Message)
	}
	return b.String()
}

// where renders a problem's location with its trailing ": ".
func (e *Error) where(p Problem) string {
	var b strings.Builder
	if e.Source != "" {
		b.WriteString(e.Source + ": ")
	}
	switch {
	case p.Env != "":
		b.WriteString("environment variable " + p.Env + ": ")
	case p.Line > 0:
		fmt.Fprintf(&b, "%s:%d:%d: ", e.File, p.Line, p.Column)
	case e.File != "":
		b.WriteString(e.File + ": ")
	}
	return b.String()
}

// Problems collects what is wrong with one configuration and locates each
// problem in the file or the environment.
type Problems struct {
	Doc  *Document         // nil when there is no file
	Env  map[string]string // key -> environment variable that set it
	List []Problem
}

// at reports a problem with the value at key.
func (ps *Problems) At(key, format string, args ...any) {
	ps.add(key, false, fmt.Sprintf(format, args...))
}

// atKey reports a problem with the key itself, e.g. a malformed map key.
func (ps *Problems) AtKey(key, format string, args ...any) {
	ps.add(key, true, fmt.Sprintf(format, args...))
}

// add keeps the first problem of each key: a variable that does not parse
// leaves the setting as it was, which may be invalid too, and saying so
// would only repeat the problem.
func (ps *Problems) add(key string, keyPos bool, msg string) {
	for _, p := range ps.List {
		if p.Key == key {
			return
		}
	}
	p := Problem{Key: key, Message: msg}
	if v, ok := ps.Env[key]; ok {
		p.Env = v
	} else if ps.Doc != nil {
		p.Line, p.Column = ps.Doc.Locate(key, keyPos)
	}
	ps.List = append(ps.List, p)
}

// sorted returns the Problems in file order; those from the environment,
// or not located in the file, come last in the order found.
func (ps *Problems) Sorted() []Problem {
	out := slices.Clone(ps.List)
	slices.SortStableFunc(out, func(a, b Problem) int {
		if (a.Line == 0) != (b.Line == 0) {
			if a.Line == 0 {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return out
}
