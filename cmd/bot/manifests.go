package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/report"
)

// readManifests reads and evaluates each file with opts, at most
// maxTotal bytes of them together: the sizes were checked before
// (checkTotalSize), but a file can grow or be a device, so the reads are
// bounded too. A file that cannot be read or evaluated is kept with its
// error, so that it is reported beside the others; src holds each
// readable file's bytes, for a fix that must patch exactly the bytes
// whose pins it verified.
func readManifests(ctx context.Context, files []string, opts pin.Options, maxTotal int64) (ms []report.Manifest, src map[string][]byte) {
	src = make(map[string][]byte, len(files))
	left := maxTotal
	for _, file := range files {
		o := opts
		perFile := int64(cmp.Or(opts.MaxFileBytes, pin.DefaultMaxFileBytes))
		o.MaxFileBytes = int(min(perFile, max(left, 0)))
		var (
			b   []byte
			res *pin.Result
			err error
		)
		if left <= 0 {
			err = fmt.Errorf("%s: not read: the files before it reach the --max-input-bytes limit of %d", file, maxTotal)
		} else if b, res, err = extract.ReadFile(ctx, file, o); errors.As(err, new(*pin.TooLargeError)) && left < perFile {
			err = fmt.Errorf("%s: not read: with the files before it, over the --max-input-bytes limit of %d", file, maxTotal)
		}
		ms = append(ms, report.Manifest{File: file, Result: res, Err: err})
		if err == nil {
			src[file] = b
			left -= int64(len(b))
		}
	}
	return ms, src
}

// mergePins is every pin and finding of the readable manifests, for one
// verification: an asset pinned in several files is fetched once, and
// each pin and finding still names its file.
func mergePins(ms []report.Manifest) *pin.Result {
	results := make([]*pin.Result, 0, len(ms))
	for _, m := range ms {
		if m.Err == nil {
			results = append(results, m.Result)
		}
	}
	return pin.Merge(results...)
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
func anyUnreadable(ms []report.Manifest) bool { return report.Unreadable(ms) > 0 }
