// Package extract finds the pins in one file, whatever its format: it
// chooses the format package that reads the file and returns that
// package's pin.Result. It is the only package that imports the format
// packages (pin/python); everything that needs pins calls File (ReadFile
// for a file on disk, read within the size cap), or takes a
// pin.ExtractFunc whose default is File. It imports pin and the format
// packages only: never verify, patch or anything above them.
package extract

import (
	"context"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python"
)

// File returns the pins src (named file in messages) promises. It returns
// *pin.SyntaxError, *pin.TooLargeError or *pin.BudgetError for unusable
// input; pins that cannot be known are reported in the result, not as
// errors. The evaluation stops with ctx's error once ctx is done.
func File(ctx context.Context, file string, src []byte, opts pin.Options) (*pin.Result, error) {
	res, err := python.Extract(ctx, file, src, opts)
	if err != nil {
		return nil, err
	}
	describeDigests(res)
	return res, nil
}

// describeDigests fills Algorithm, Digest and Encoding of the pins of a
// format that knows only sha256 hex (Python, today), leaving SHA256 as
// the file writes it.
func describeDigests(res *pin.Result) {
	for i := range res.Pins {
		p := &res.Pins[i]
		if p.Algorithm != "" {
			continue
		}
		if d, ok := pin.ParseDigest(p.SHA256); ok {
			p.Algorithm, p.Digest, p.Encoding = d.Algorithm, d.Hex, d.Encoding
		}
	}
}

var _ pin.ExtractFunc = File
