package main

import (
	"context"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/report"
)

// readManifests reads and evaluates each file with opts. A file that
// cannot be read or evaluated is kept with its error, so that it is
// reported beside the others; src holds each readable file's bytes, for
// a fix that must patch exactly the bytes whose pins it verified.
func readManifests(ctx context.Context, files []string, opts pin.Options) (ms []report.Manifest, src map[string][]byte) {
	src = make(map[string][]byte, len(files))
	for _, file := range files {
		b, res, err := extract.ReadFile(ctx, file, opts)
		ms = append(ms, report.Manifest{File: file, Result: res, Err: err})
		if err == nil {
			src[file] = b
		}
	}
	return ms, src
}

// mergePins is every pin and finding of the readable manifests, for one
// verification: an asset pinned in several files is fetched once, and
// each pin and finding still names its file.
func mergePins(ms []report.Manifest) *pin.Result {
	all := &pin.Result{}
	for _, m := range ms {
		if m.Err != nil {
			continue
		}
		all.Pins = append(all.Pins, m.Result.Pins...)
		all.Unresolved = append(all.Unresolved, m.Result.Unresolved...)
		all.Invalid = append(all.Invalid, m.Result.Invalid...)
	}
	return all
}

// firstError is the error of a one-file run whose file could not be
// read: such a run fails as it always has, with the error alone.
func firstError(ms []report.Manifest) error {
	if len(ms) == 1 {
		return ms[0].Err
	}
	return nil
}

// anyUnreadable reports whether a manifest could not be checked.
func anyUnreadable(ms []report.Manifest) bool {
	for _, m := range ms {
		if m.Err != nil {
			return true
		}
	}
	return false
}
