// Package extract finds the pins in one file, whatever its format: it
// tells the format from the file name (Detect) unless pin.Options.Format
// names it, and hands the file to that format's reader: pin/python for
// Python and Starlark, pin/tree and pin/record for JSON, YAML and TOML.
// It is the only package that imports the format packages; everything
// that needs pins calls File (ReadFile for a file on disk, read within
// the size cap), or takes a pin.ExtractFunc whose default is File. It
// imports pin and the format packages only: never verify, patch or
// anything above them.
package extract

import (
	"context"
	"fmt"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/python"
	"github.com/pindrift/pindrift/internal/pin/record"
	"github.com/pindrift/pindrift/internal/pin/tree"
)

// File returns the pins src (named file in messages) promises. It returns
// *UnknownFormatError or *UnsupportedError when the format cannot be read,
// and *pin.SyntaxError, *pin.TooLargeError or *pin.BudgetError for
// unusable input; pins that cannot be known are reported in the result,
// not as errors. The extraction stops with ctx's error once ctx is done.
func File(ctx context.Context, file string, src []byte, opts pin.Options) (*pin.Result, error) {
	res, err := extractFile(ctx, file, src, opts)
	if err != nil {
		return nil, err
	}
	res.SetFile(file)
	return res, nil
}

func extractFile(ctx context.Context, file string, src []byte, opts pin.Options) (*pin.Result, error) {
	format := opts.Format
	if format == "" {
		var err error
		if format, err = Detect(file); err != nil {
			return nil, err
		}
	}
	var parse func(string, []byte, tree.Limits) (*tree.Node, error)
	switch format {
	case pin.Python, pin.Starlark:
		// Starlark's syntax is a subset of Python's, so tree-sitter-python
		// parses it and the Python evaluator reads it, in its Starlark
		// mode for Starlark (load(), Bazel's rules as records).
		opts.Format = format
		res, err := python.Extract(ctx, file, src, opts)
		if err != nil {
			return nil, err
		}
		describeDigests(res)
		return res, nil
	case pin.JSON:
		parse = tree.ParseJSON
	case pin.YAML:
		parse = tree.ParseYAML
	case pin.TOML:
		parse = tree.ParseTOML
	default:
		return nil, &UnsupportedError{File: file, Format: string(format)}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	root, err := parse(file, src, tree.LimitsOf(opts))
	if err != nil {
		return nil, err
	}
	res, err := record.Find(ctx, file, root, opts)
	if err != nil {
		return nil, err
	}
	// The Python evaluator caps its own findings; a data file gets the
	// same bound here.
	res.CapFindings(pin.MaxFindings)
	return res, nil
}

// describeDigests fills Algorithm, Digest and Encoding of any Python or
// Starlark pin that reached the result without them (the evaluator's
// readers set them; this keeps the contract whatever path a pin took),
// leaving SHA256 as the file writes it.
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
