package discover

// TEMPORARY stand-in written on branch h-onboard so onboarding compiles
// and is tested before h-discover lands; deleted at the merge of main.

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
)

// Find is a stand-in: every file whose name says a format pindrift reads.
func Find(ctx context.Context, src Source, opts Options) (*Result, error) {
	entries, _, err := src.Tree(ctx)
	if err != nil {
		return nil, err
	}
	ex := opts.Extract
	if ex == nil {
		ex = extract.File
	}
	res := &Result{}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Path < entries[j].Path })
	for i, e := range entries {
		if i >= 200 {
			break
		}
		format, err := extract.Detect(e.Path)
		if err != nil || strings.HasPrefix(e.Path, ".github/") {
			continue
		}
		data, err := src.Read(ctx, e.Path, pin.DefaultMaxFileBytes)
		if err != nil {
			return nil, err
		}
		r, err := ex(ctx, e.Path, data, pin.Options{Format: format})
		if err != nil {
			continue
		}
		if len(r.Pins) > 0 {
			res.Files = append(res.Files, File{Path: e.Path, Format: format, Pins: len(r.Pins), Unresolved: r.Unresolved, Invalid: r.Invalid})
		}
	}
	return res, nil
}

// Config is a stand-in: the manifests, one a line.
func (r *Result) Config() []byte {
	var b strings.Builder
	b.WriteString("manifests:\n")
	for _, f := range r.Files {
		fmt.Fprintf(&b, "  - path: %q\n", f.Path)
	}
	return []byte(b.String())
}
