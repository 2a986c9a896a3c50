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
	return python.Extract(ctx, file, src, opts)
}

var _ pin.ExtractFunc = File
