package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/pindrift/pindrift/internal/report"
	"github.com/spf13/cobra"
)

// Bounds on what one run reads, whatever the arguments expand to: a glob
// such as "**/*.json" over a large checkout must fail with a clear message
// rather than evaluate thousands of files.
const (
	DefaultMaxFiles      = 100
	DefaultMaxInputBytes = 16 << 20
)

// errTooMany stops a glob walk as soon as the file limit is passed.
var errTooMany = errors.New("too many files")

// inputFlags bound the files a command reads.
type inputFlags struct {
	maxFiles int
	maxBytes int64
}

func (f *inputFlags) register(cmd *cobra.Command) {
	cmd.Flags().IntVar(&f.maxFiles, "max-files", DefaultMaxFiles,
		"refuse to read more than this many files (after expanding globs)")
	cmd.Flags().Int64Var(&f.maxBytes, "max-input-bytes", DefaultMaxInputBytes,
		"refuse files that together are larger than this many bytes")
}

// files expands the FILE arguments and checks them against the limits.
// Every error is unusable input (exit 3).
func (f *inputFlags) files(args []string) ([]string, error) {
	if f.maxFiles < 1 || f.maxBytes < 1 {
		return nil, badInput(fmt.Errorf("--max-files and --max-input-bytes must be at least 1"))
	}
	files, err := expandArgs(args, f.maxFiles)
	if err != nil {
		return nil, badInput(err)
	}
	if err := checkTotalSize(files, f.maxBytes); err != nil {
		return nil, badInput(err)
	}
	return files, nil
}

// expandArgs turns FILE arguments, each a path or a doublestar glob
// ("**" crosses directories), into the files to read: in argument order,
// sorted within a glob, each file once. A path that exists is taken as
// it is, even if it holds glob characters; a glob that matches no file is
// an error naming it. A path that does not exist is kept, so that the
// file is reported as unreadable beside the others. More than maxFiles
// files is an error, found without walking the rest of the tree.
func expandArgs(args []string, maxFiles int) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) error {
		key := filepath.Clean(p)
		if seen[key] {
			return nil
		}
		seen[key] = true
		out = append(out, p)
		if len(out) > maxFiles {
			return errTooMany
		}
		return nil
	}
	for _, arg := range args {
		if arg == "" {
			return nil, fmt.Errorf("an empty FILE argument")
		}
		var err error
		if _, lerr := os.Lstat(arg); lerr == nil || !hasMeta(arg) {
			err = add(arg)
		} else {
			var matches []string
			if matches, err = glob(arg, maxFiles-len(out)+1, seen); err == nil {
				if len(matches) == 0 {
					return nil, fmt.Errorf("%q matches no file", arg)
				}
				for _, m := range matches {
					if err = add(m); err != nil {
						break
					}
				}
			}
		}
		if errors.Is(err, errTooMany) {
			return nil, fmt.Errorf("the arguments name more than %d files, the --max-files limit; "+
				"narrow the globs or raise --max-files", maxFiles)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// hasMeta reports whether arg holds a glob character.
func hasMeta(arg string) bool {
	return strings.ContainsAny(arg, "*?[{")
}

// glob returns the files pattern matches, sorted, or errTooMany once
// more than limit of them are new (not in seen: files earlier arguments
// named count once). Symbolic links are not followed while
// walking (a link cycle in a checkout cannot make "**" endless), and
// directories, links to them included, are not files to read.
func glob(pattern string, limit int, seen map[string]bool) ([]string, error) {
	base, rel := doublestar.SplitPattern(filepath.ToSlash(filepath.Clean(pattern)))
	if !doublestar.ValidatePattern(rel) {
		return nil, fmt.Errorf("%q: not a valid glob pattern", pattern)
	}
	var matches []string
	fresh := 0
	err := doublestar.GlobWalk(os.DirFS(base), rel, func(p string, d fs.DirEntry) error {
		full := filepath.FromSlash(path.Join(base, p))
		if fi, err := os.Stat(full); err == nil && fi.IsDir() {
			return nil
		}
		matches = append(matches, full)
		if !seen[filepath.Clean(full)] {
			if fresh++; fresh > limit {
				return errTooMany
			}
		}
		return nil
	}, doublestar.WithFilesOnly(), doublestar.WithNoFollow())
	if err != nil && !errors.Is(err, errTooMany) {
		return nil, fmt.Errorf("%q: %w", pattern, err)
	}
	slices.Sort(matches)
	return matches, err
}

// checkTotalSize refuses files that together exceed limit bytes. Files
// that cannot be read are left for the reader to report; the reader also
// bounds each file on its own (pin.DefaultMaxFileBytes).
func checkTotalSize(files []string, limit int64) error {
	var total int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && fi.Mode().IsRegular() {
			total += fi.Size()
		}
	}
	if total > limit {
		return fmt.Errorf("the %s total %d bytes, over the --max-input-bytes limit of %d",
			report.Count(len(files), "file", "files"), total, limit)
	}
	return nil
}
