package report

import (
	"slices"
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/verify"
)

// Manifest is one file a run was asked to check: its pins, or why it
// could not be read or evaluated (it is then reported, never dropped).
type Manifest struct {
	File   string
	Result *pin.Result // nil when Err is set
	Err    error
}

// single is the one readable manifest of a one-file run, whose reports
// keep the shape they had before runs could cover several files; nil
// otherwise.
func single(ms []Manifest) *pin.Result {
	if len(ms) == 1 && ms[0].Err == nil {
		return ms[0].Result
	}
	return nil
}

// fileView is one manifest's share of a run: the outcomes of its own pins
// and findings.
type fileView struct {
	Manifest
	rep *verify.Report // nil when Err is set
}

// splitByFile gives each manifest the outcomes that concern it. An asset
// pinned in several files was fetched once and appears under each, with
// only that file's pins; it counts as drift in a file only if a pin of
// that file is stale, so the file already updated reads ok.
func splitByFile(ms []Manifest, rep *verify.Report) []fileView {
	views := make([]fileView, len(ms))
	index := map[string]int{}
	for i, m := range ms {
		views[i].Manifest = m
		if m.Err == nil {
			views[i].rep = &verify.Report{}
			index[m.File] = i
		}
	}
	for _, o := range rep.Outcomes {
		if f := o.Finding; f != nil {
			if i, ok := index[f.File]; ok {
				views[i].rep.Outcomes = append(views[i].rep.Outcomes, o)
			}
			continue
		}
		byFile := map[string][]pin.Pin{}
		var order []string
		for _, p := range o.Pins {
			if _, ok := byFile[p.File]; !ok {
				order = append(order, p.File)
			}
			byFile[p.File] = append(byFile[p.File], p)
		}
		for _, file := range order {
			i, ok := index[file]
			if !ok {
				continue
			}
			views[i].rep.Outcomes = append(views[i].rep.Outcomes, narrow(o, byFile[file]))
		}
	}
	for _, v := range views {
		if v.rep != nil {
			v.rep.Summary = verify.Summarize(v.rep.Outcomes)
		}
	}
	return views
}

// narrow is o as seen from some of its pins.
func narrow(o verify.Outcome, pins []pin.Pin) verify.Outcome {
	o.Pins = pins
	var expected []string
	for _, p := range pins {
		if h := p.Key().Hex; !slices.Contains(expected, h) {
			expected = append(expected, h)
		}
	}
	o.Expected = expected
	if o.Status == verify.StatusDrift && len(o.Drifted()) == 0 {
		o.Status = verify.StatusOK
	}
	return o
}

// Unreadable counts the manifests that could not be checked.
func Unreadable(ms []Manifest) int {
	n := 0
	for _, m := range ms {
		if m.Err != nil {
			n++
		}
	}
	return n
}

// errLine is a manifest's error on one line: it is shown as text and in
// workflow commands, and may quote the file.
func errLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
