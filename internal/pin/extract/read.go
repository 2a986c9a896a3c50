package extract

import (
	"context"
	"io"
	"math"
	"os"

	"github.com/pindrift/pindrift/internal/pin"
)

// ReadFile reads the file at path, at most opts' size cap, and extracts
// it. It returns the bytes with their pins, so that a caller that patches
// the file patches exactly the bytes whose pins it verified. Every error is
// unusable input: the file cannot be read, or File's errors (a file over
// the cap is a *pin.TooLargeError).
func ReadFile(ctx context.Context, path string, opts pin.Options) ([]byte, *pin.Result, error) {
	src, err := readLimited(path, maxFileBytes(opts))
	if err != nil {
		return nil, nil, err
	}
	res, err := File(ctx, path, src, opts)
	if err != nil {
		return nil, nil, err
	}
	return src, res, nil
}

func maxFileBytes(opts pin.Options) int {
	if opts.MaxFileBytes > 0 {
		return opts.MaxFileBytes
	}
	return pin.DefaultMaxFileBytes
}

// readLimited reads at most limit+1 bytes of file, so a huge or endless
// file (a FIFO, /dev/zero) is refused instead of exhausting memory.
func readLimited(file string, limit int) ([]byte, error) {
	fh, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer fh.Close() // read-only: nothing to lose on close
	src, err := io.ReadAll(io.LimitReader(fh, int64(limit)+1))
	if err == nil && len(src) > limit {
		// Say the real size when there is one: a regular file's.
		size := -1
		if st, serr := fh.Stat(); serr == nil && st.Mode().IsRegular() && st.Size() > int64(limit) {
			size = int(min(st.Size(), math.MaxInt))
		}
		return nil, &pin.TooLargeError{File: file, Size: size, Limit: limit}
	}
	return src, err
}
