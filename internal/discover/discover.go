// Package discover finds the files of a repository that hold pins, so a
// repository can start without a configuration: from one listing of its
// tree it picks candidates by name (published.py, WORKSPACE, MODULE.bazel,
// *.bzl, source.json, ...) and by format, reads each candidate once,
// keeps those whose string literals pair digests with URLs, and writes the
// .github/pindrift.yml that lists them.
//
// It reads a tree through the small Source interface: Dir for a checkout
// (`bot discover`), and the runner's GitHub for the App. It imports the
// pin engine and repoconfig; never runner, jobs, webhook or server.
package discover

import (
	"context"

	"github.com/pindrift/pindrift/internal/pin"
)

// Entry is one file of a tree listing.
type Entry struct {
	Path string // slash-separated, relative to the root
	Size int64
	// Mode is git's file mode ("100644", "100755", "120000" for a
	// symbolic link, "160000" for a submodule).
	Mode string
}

// Source is a tree to discover manifests in.
type Source interface {
	// Tree lists every file under the root in one go. truncated reports a
	// listing that left files out (GitHub's limit for one request).
	Tree(ctx context.Context) (entries []Entry, truncated bool, err error)
	// Read returns the file at path; a file over maxBytes is an error and
	// its bytes are not fetched.
	Read(ctx context.Context, path string, maxBytes int64) ([]byte, error)
}

// Options bound a discovery.
type Options struct {
	// Extract evaluates a candidate; nil means extract.File in process.
	// The App passes its sandbox: candidates are repository content.
	Extract pin.ExtractFunc
}

// File is a file found to hold pins.
type File struct {
	Path   string
	Format pin.Format
	// Pins counts the pins found, Unresolved and Invalid the digests
	// pindrift could not pair or use, each with its reason.
	Pins       int
	Unresolved []pin.Finding
	Invalid    []pin.Finding
}

// Result is what a discovery found and what it left out.
type Result struct {
	Files []File
}
