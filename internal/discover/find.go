package discover

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/repoconfig"
)

// minPinBytes is the smallest file that can hold a pin: the shortest
// digest pindrift reads (sha256 in SRI form, "sha256-" and 44 base64
// characters) and the shortest URL ("http://x"). Smaller files (empty
// __init__.py files, for one) are not worth a request.
const minPinBytes = 51 + 8

// maxReadFailures ends a discovery after this many reads in a row fail:
// a source that fails every read (revoked access, a rate limit) would
// otherwise spend the whole budget listing the same error.
const maxReadFailures = 5

// candidate is a file of a readable format that Find may read.
type candidate struct {
	path   string
	format pin.Format
	rank   int
}

// Find lists src's tree once, picks the files that may hold pins, reads
// each at most once, in rank order and within opts.MaxReads, and reports
// the files that hold pins and everything it passed over. It fails only
// when the listing fails, ctx ends, or reads keep failing; a candidate
// that cannot be read or evaluated is listed in Result.Failed.
func Find(ctx context.Context, src Source, opts Options) (*Result, error) {
	entries, truncated, err := src.Tree(ctx)
	if err != nil {
		return nil, fmt.Errorf("list the tree: %w", err)
	}
	res := &Result{Files: []File{}, Unpaired: []File{}, Failed: []Skip{}, Skipped: map[string]int{},
		Folders: []string{}, Unread: []string{}, Truncated: truncated}
	maxBytes := cmp.Or(opts.MaxFileBytes, pin.DefaultMaxFileBytes)
	cands := plan(entries, maxBytes, res)
	extractFn := opts.Extract
	if extractFn == nil {
		extractFn = extract.File
	}
	budget := cmp.Or(opts.MaxReads, DefaultMaxReads)
	res.MaxReads = budget
	failures := 0
	for i, c := range cands {
		if len(res.Files) >= repoconfig.MaxManifests {
			// A longer list would be a configuration pindrift refuses.
			res.FileLimit = repoconfig.MaxManifests
			for _, u := range cands[i:] {
				res.Unread = append(res.Unread, u.path)
			}
			break
		}
		if res.Reads >= budget {
			for _, u := range cands[i:] {
				res.Unread = append(res.Unread, u.path)
			}
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("discover: %w", err)
		}
		res.Reads++
		data, err := src.Read(ctx, c.path, maxBytes)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, fmt.Errorf("discover: %w", ctxErr)
			}
			if failures++; failures >= maxReadFailures {
				return nil, fmt.Errorf("discover: %d reads in a row failed, the last %s: %w", failures, c.path, err)
			}
			res.Failed = append(res.Failed, Skip{Path: c.path, Reason: fmt.Sprintf("cannot be read: %v", err)})
			continue
		}
		failures = 0
		if err := evaluate(ctx, extractFn, c, data, int(maxBytes), res); err != nil {
			return nil, err
		}
	}
	byPath := func(a, b File) int { return strings.Compare(a.Path, b.Path) }
	slices.SortFunc(res.Files, byPath)
	slices.SortFunc(res.Unpaired, byPath)
	slices.SortFunc(res.Failed, func(a, b Skip) int { return strings.Compare(a.Path, b.Path) })
	return res, nil
}

// plan sorts the listing's entries into skipped files (counted in res)
// and candidates, returned in the order they are read.
func plan(entries []Entry, maxBytes int64, res *Result) []candidate {
	folders := map[string]bool{}
	var cands []candidate
	for _, e := range entries {
		if e.Mode == ModeFolder {
			if f := skippedFolder(e.Path, true); f != "" {
				folders[f] = true
			}
			continue
		}
		res.Listed++
		if f := skippedFolder(e.Path, false); f != "" {
			folders[f] = true
			res.Skipped[ReasonFolder]++
			continue
		}
		reason := ""
		format, err := extract.Detect(e.Path)
		switch {
		case e.Mode == ModeSymlink:
			reason = ReasonSymlink
		case e.Mode == ModeSubmodule:
			reason = ReasonSubmodule
		case !configurablePath(e.Path):
			reason = ReasonBadPath
		case isLockFile(e.Path):
			reason = ReasonLockFile
		case err != nil:
			reason = ReasonFormat
		case e.Size > maxBytes:
			// A readable file too large to read is a candidate the user
			// should hear about by name, not in a count.
			res.Failed = append(res.Failed, Skip{Path: e.Path,
				Reason: fmt.Sprintf("%d bytes, over the %d-byte limit", e.Size, maxBytes)})
			continue
		case e.Size < minPinBytes:
			reason = ReasonTooSmall
		}
		if reason != "" {
			res.Skipped[reason]++
			continue
		}
		cands = append(cands, candidate{path: e.Path, format: format, rank: rank(e.Path)})
	}
	res.Folders = append([]string{}, slices.Sorted(maps.Keys(folders))...)
	slices.SortFunc(cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank),
			cmp.Compare(strings.Count(a.path, "/"), strings.Count(b.path, "/")),
			strings.Compare(a.path, b.path))
	})
	return cands
}

// evaluate extracts one candidate's pins and files it in res. It returns
// an error only when ctx has ended.
func evaluate(ctx context.Context, extractFn pin.ExtractFunc, c candidate, data []byte, maxBytes int, res *Result) error {
	if why := binary(data); why != "" {
		res.Failed = append(res.Failed, Skip{Path: c.path, Reason: why})
		return nil
	}
	opts := pin.Options{Format: c.format, MaxFileBytes: maxBytes}
	scripted := c.format == pin.Python || c.format == pin.Starlark
	if scripted {
		// Every module-level name: discovery does not know which ones a
		// module keeps its pins in.
		opts.Symbols = []string{pin.AllSymbols}
	}
	all, err := extractFn(ctx, c.path, data, opts)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("discover: %w", ctxErr)
		}
		res.Failed = append(res.Failed, Skip{Path: c.path, Reason: err.Error()})
		return nil
	}
	f := File{Path: c.path, Format: c.format, Pins: len(all.Unique()), Unresolved: all.Unresolved, Invalid: all.Invalid}
	if f.Pins == 0 {
		// Findings alone are not enough: every import a module makes is
		// one ("could not be evaluated"). A file is unpaired when it
		// writes a digest that became no pin.
		if located(all.Unresolved)+located(all.Invalid) > 0 && digestLiteral.Match(data) {
			res.Unpaired = append(res.Unpaired, f)
		}
		return nil
	}
	if scripted {
		// The configuration leaves symbols: out when the defaults find
		// every pin, so that what it says is what the module's author
		// reads; otherwise it asks for every name, as discovery did.
		def, err := extractFn(ctx, c.path, data, pin.Options{Format: c.format, MaxFileBytes: maxBytes})
		switch {
		case err != nil && ctx.Err() != nil:
			return fmt.Errorf("discover: %w", ctx.Err())
		case err == nil && len(def.Unique()) == f.Pins:
			f.Unresolved, f.Invalid = def.Unresolved, def.Invalid
		default:
			f.Symbols = []string{pin.AllSymbols}
		}
	}
	f.Unresolved = nonNil(f.Unresolved)
	f.Invalid = nonNil(f.Invalid)
	res.Files = append(res.Files, f)
	return nil
}

// digestLiteral matches what a digest looks like in a file: a run of hex
// digits as long as a sha256, sha384 or sha512 digest, or an algorithm
// prefix (sha256-, SRI; sha512:).
var digestLiteral = regexp.MustCompile(`(?i)(^|[^0-9a-f])([0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})($|[^0-9a-f])|sha(256|384|512)[-:]`)

// located counts the findings about a literal, leaving out those about
// the whole module (a symbol it does not define) and those about a value
// the evaluator could not know (an import), as bot pins's count does.
func located(fs []pin.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Line > 0 && !f.Value {
			n++
		}
	}
	return n
}

func nonNil(fs []pin.Finding) []pin.Finding {
	if fs == nil {
		return []pin.Finding{}
	}
	return fs
}

// binary says why data is not text pindrift reads, or "".
func binary(data []byte) string {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return fmt.Sprintf("binary content (a NUL byte at offset %d)", i)
	}
	if !utf8.Valid(data) {
		return "binary content (not UTF-8 text)"
	}
	return ""
}
