package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/pindrift/pindrift/internal/patch"
	"github.com/pindrift/pindrift/internal/patch/fixlocal"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/report/fixreport"
)

// apply carries the fixes out as --commit or --write asks, and returns
// what it did, per file (empty when nothing was written to it) and for
// the whole run: the commit.
func (f *fixFlags) apply(ctx context.Context, fixes []fixreport.File, readable []string, opts pin.Options,
	live map[string]patch.Live, repo *fixlocal.Repo) (applied, error) {
	a := applied{perFile: map[string]string{}}
	changed := false
	for _, fl := range fixes {
		changed = changed || fl.Fix != nil && fl.Fix.Changed()
	}
	switch {
	case f.commit && changed:
		// The branch may hold other versions of the files: fix what is
		// there once it is checked out, with the same live digests.
		onBranch, line, err := repo.Commit(ctx, readable, opts, live, f.sig)
		if err != nil {
			return a, err
		}
		for i, j := 0, 0; i < len(fixes); i++ {
			if fixes[i].Fix != nil {
				fixes[i].Fix = onBranch[j]
				j++
			}
		}
		a.run = line
	case f.write && changed:
		for _, fl := range fixes {
			if fl.Fix == nil || !fl.Fix.Changed() {
				continue
			}
			if err := fixlocal.WriteFile(fl.Path, fl.Fix.Original, fl.Fix.Patched); err != nil {
				return a, err
			}
			a.perFile[fl.Path] = "wrote " + fl.Path
		}
	}
	return a, nil
}

// overall is the fix of a one-file run, or the sum of several files'
// fixes, for the lines that count them.
func overall(fixes []fixreport.File) *patch.Result {
	if len(fixes) == 1 {
		return fixes[0].Fix
	}
	sum := &patch.Result{}
	for _, fl := range fixes {
		if fx := fl.Fix; fx != nil {
			sum.Refused = append(sum.Refused, fx.Refused...)
			sum.Changes = append(sum.Changes, fx.Changes...)
			sum.Drifted += fx.Drifted
			sum.Fixed += fx.Fixed
		}
	}
	return sum
}

// applied is what apply did.
type applied struct {
	perFile map[string]string
	run     string // the commit, for --commit
}

// of is the line saying what was done to file: its write, or the commit
// when there is one and it changed the file.
func (a applied) of(fl fixreport.File) string {
	if a.run != "" && fl.Fix != nil && fl.Fix.Changed() {
		return a.run
	}
	return a.perFile[fl.Path]
}

// print writes the fix to stdout: the --json document, the summary of
// what --write or --commit did, or the diff. One file prints as it always
// has.
func (f *fixFlags) print(out io.Writer, fixes []fixreport.File, a applied) error {
	if len(fixes) == 1 {
		fl := fixes[0]
		switch {
		case f.check.asJSON:
			return fixreport.WriteJSON(out, fl.Fix, a.of(fl))
		case f.write || f.commit:
			return fixreport.WriteSummary(out, fl.Fix, a.of(fl))
		}
		return fixreport.WriteDiff(out, fl.Fix)
	}
	if f.check.asJSON {
		run := a.run
		if run == "" {
			var wrote []string
			for _, fl := range fixes {
				if w := a.perFile[fl.Path]; w != "" {
					wrote = append(wrote, w)
				}
			}
			run = strings.Join(wrote, "; ")
		}
		return fixreport.WriteFilesJSON(out, fixes, run)
	}
	for _, fl := range fixes {
		if fl.Fix == nil {
			continue
		}
		var err error
		if f.write || f.commit {
			if _, err = fmt.Fprintf(out, "==> %s\n", fl.Path); err == nil {
				line := a.perFile[fl.Path]
				if a.run != "" && fl.Fix.Changed() {
					line = "in the commit below"
				}
				err = fixreport.WriteSummary(out, fl.Fix, line)
			}
		} else {
			err = fixreport.WriteDiff(out, fl.Fix)
		}
		if err != nil {
			return err
		}
	}
	if a.run != "" {
		_, err := fmt.Fprintln(out, a.run)
		return err
	}
	return nil
}
