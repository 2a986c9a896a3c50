package runner

import (
	"context"
	"errors"
	"fmt"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/repoconfig"
	"github.com/pindrift/pindrift/internal/shortsha"
)

// Errors ReadFile wraps, so that the runner can tell a manifest that must
// change before it can be read from a request that may succeed if tried
// again.
var (
	// ErrNoFile: nothing exists at the path at that ref.
	ErrNoFile = errors.New("no such file")
	// ErrNotFile: the path is a directory (or a submodule), not a file.
	ErrNotFile = errors.New("not a file")
	// ErrTooLarge: the file is larger than ReadFile's maxBytes.
	ErrTooLarge = errors.New("file too large")
)

// ManifestError is a configured manifest that a run could not read or
// evaluate: it is absent, not a file, too large, does not parse, or its
// evaluation met a limit. The run goes on with the other manifests; this
// one is reported where people look (the check run, the tracking issue).
type ManifestError struct {
	// Index is the manifest's place in the configuration's list.
	Index    int
	Manifest Manifest
	// Ref is the commit the manifest was read at.
	Ref string
	// TotalLimit reports that the file was refused because the run had
	// read repoconfig.MaxTotalManifestBytes of manifests already.
	TotalLimit bool
	Err        error
}

func (e *ManifestError) Error() string {
	key := fmt.Sprintf("manifests[%d].path", e.Index)
	switch {
	case errors.Is(e.Err, ErrNoFile):
		return fmt.Sprintf("%s: %s does not exist at %s", key, e.Manifest.Path, shortsha.Of(e.Ref, shortsha.Commit))
	case e.TotalLimit:
		return fmt.Sprintf("%s: %s was not read: the manifests of one repository may hold %d bytes together, and the ones listed before it reach that",
			key, e.Manifest.Path, repoconfig.MaxTotalManifestBytes)
	}
	var se *pin.SyntaxError
	var be *pin.BudgetError
	if errors.As(e.Err, &se) || errors.As(e.Err, &be) {
		return e.Err.Error() // names the file, line and column
	}
	return fmt.Sprintf("%s: %v", key, e.Err)
}

func (e *ManifestError) Unwrap() error { return e.Err }

// manifestRead is one configured manifest as a run read it.
type manifestRead struct {
	Manifest
	Index  int
	Source []byte
	Result *pin.Result // nil when Err is set
	Err    *ManifestError
}

// readAll reads and evaluates manifests at ref, at most
// repoconfig.MaxTotalManifestBytes of them together. A manifest that
// cannot be used comes back with its Err and the others are read on; any
// other failure (GitHub did not answer, ctx ended) fails the whole read,
// since trying again may succeed.
func (r *Runner) readAll(ctx context.Context, gh Repos, repo issues.Repo, ms []Manifest, indexes []int, ref string) ([]manifestRead, error) {
	reads := make([]manifestRead, 0, len(ms))
	left := int64(repoconfig.MaxTotalManifestBytes)
	for i, m := range ms {
		rd := manifestRead{Manifest: m, Index: indexes[i]}
		fail := func(err error) { rd.Err = &ManifestError{Index: rd.Index, Manifest: m, Ref: ref, Err: err} }
		limit := min(int64(pin.DefaultMaxFileBytes), left)
		src, err := gh.ReadFile(ctx, repo, m.Path, ref, limit)
		switch {
		case err == nil:
			left -= int64(len(src))
			rd.Source = src
			res, err := r.d.Extract(ctx, m.Path, src, m.Options)
			if err != nil {
				if ctx.Err() != nil {
					return nil, fmt.Errorf("evaluate %s in %s: %w", m.Path, repo.FullName(), err)
				}
				// Any other failure is the manifest's: it is said where the
				// maintainers look rather than retried into the logs.
				fail(err)
				break
			}
			res.SetFile(m.Path)
			rd.Result = res
		case errors.Is(err, ErrTooLarge) && limit < pin.DefaultMaxFileBytes:
			fail(err)
			rd.Err.TotalLimit = true
		case errors.Is(err, ErrNoFile), errors.Is(err, ErrNotFile), errors.Is(err, ErrTooLarge):
			fail(err)
		default:
			return nil, fmt.Errorf("read %s: %w", m.Path, err)
		}
		reads = append(reads, rd)
	}
	return reads, nil
}

// allPins gathers the pins and findings of every manifest read, each
// naming its file, for one verification.
func allPins(reads []manifestRead) *pin.Result {
	results := make([]*pin.Result, len(reads))
	for i, rd := range reads {
		results[i] = rd.Result
	}
	return pin.Merge(results...)
}

// unreadable counts the manifests that could not be read.
func unreadable(reads []manifestRead) int {
	n := 0
	for _, rd := range reads {
		if rd.Err != nil {
			n++
		}
	}
	return n
}
