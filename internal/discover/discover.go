// Package discover finds the files of a repository that hold pins, so a
// repository can start without a configuration: from one listing of its
// tree it picks candidates by name (published.py, WORKSPACE, MODULE.bazel,
// *.bzl, source.json, ...) and by format, reads each candidate once,
// keeps those whose string literals pair digests with URLs, and writes the
// .github/pindrift.yml that lists them.
//
// The listing alone rules out most files, unread: those in vendored,
// generated and test fixture folders (skip.go), symbolic links,
// submodules, package managers' lock files, formats pindrift does not
// read, and files too small or too large. The rest are read in rank
// order (rank.go: exact names, then .bzl, then path words such as deps
// or release, then the other readable files, tests and BUILD files
// last) until Options.MaxReads: for the App every read is a request.
// Nothing is dropped silently: Result counts or names every file it
// passed over, and the candidates the budget left unread.
//
// It reads a tree through the small Source interface: Dir for a checkout
// (`bot discover`), and the runner's GitHub for the App. It imports the
// pin engine, repoconfig (for the configuration's path) and report (for
// its wording of counts); never runner, jobs, webhook or server.
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
	// symbolic link, "160000" for a submodule). A listing may also hold
	// folders ("040000"): Find uses them only to name the folders it
	// skips, since a source need not list what is under those.
	Mode string
}

// Git's modes for the entries Find treats apart from files.
const (
	ModeSymlink   = "120000"
	ModeSubmodule = "160000"
	ModeFolder    = "040000"
)

// Source is a tree to discover manifests in.
type Source interface {
	// Tree lists every file under the root in one go. truncated reports a
	// listing that left files out (GitHub's limit for one request).
	Tree(ctx context.Context) (entries []Entry, truncated bool, err error)
	// Read returns the file at path; a file over maxBytes is an error and
	// its bytes are not fetched.
	Read(ctx context.Context, path string, maxBytes int64) ([]byte, error)
}

// DefaultMaxReads is how many files a discovery reads when Options does
// not say: every file read is one API request for the App, and a
// repository's pins live in a handful of files that the name and path
// heuristics rank first.
const DefaultMaxReads = 200

// Options bound a discovery.
type Options struct {
	// Extract evaluates a candidate; nil means extract.File in process.
	// The App passes its sandbox: candidates are repository content.
	Extract pin.ExtractFunc
	// MaxReads bounds the files read (0: DefaultMaxReads). Candidates it
	// leaves unread are listed in Result.Unread.
	MaxReads int
	// MaxFileBytes skips larger files without reading them
	// (0: pin.DefaultMaxFileBytes, the limit a configured manifest has).
	MaxFileBytes int64
}

// File is a file found to hold pins.
type File struct {
	Path   string     `json:"path"`
	Format pin.Format `json:"format"`
	// Pins counts the distinct (url, digest) pairs found, Unresolved and
	// Invalid the digests pindrift could not pair or use, each with its
	// reason.
	Pins       int           `json:"pins"`
	Unresolved []pin.Finding `json:"unresolved"`
	Invalid    []pin.Finding `json:"invalid"`
	// Symbols is what the configuration's symbols: key must say for the
	// module's pins to be found: nil for the default (BASE_KERNELS,
	// MANIFEST and the calls the module makes), or [all] when some pins
	// are reached only from other module-level names. Python and
	// Starlark only.
	Symbols []string `json:"symbols,omitempty"`
}

// Skip is a file Find passed over, and why.
type Skip struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Result is what a discovery found and what it left out. Nothing a
// listing held is dropped without a trace: every file is kept, counted
// in Skipped, listed in Failed or Unread.
type Result struct {
	// Files hold at least one pin, in path order.
	Files []File `json:"files"`
	// Unpaired were read and hold digests but no pin: a digest with no
	// URL, or one whose URL cannot be known. They are not configured
	// (pindrift would verify nothing there), but listed so a person can
	// add them, with url_fields or digest_fields if need be.
	Unpaired []File `json:"unpaired"`
	// Failed are candidates that could not be evaluated: over the size
	// limit, binary, unreadable or not parsed, with the reason.
	Failed []Skip `json:"failed"`
	// Skipped counts the other files passed over by reason (the Reason*
	// constants).
	Skipped map[string]int `json:"skipped"`
	// Folders are the vendored and generated folders skipped, outermost
	// only, in path order.
	Folders []string `json:"folders"`
	// Unread are the candidates the read budget (Options.MaxReads) left
	// unread, in the order they would have been read.
	Unread []string `json:"unread"`
	// FileLimit is set (to repoconfig.MaxManifests) when discovery stopped
	// reading because it had found as many files as one configuration may
	// list; Unread then holds the candidates after that point.
	FileLimit int `json:"file_limit,omitempty"`
	// Listed counts the files of the listing, Reads the files read,
	// MaxReads the budget they were read within.
	Listed   int `json:"listed"`
	Reads    int `json:"reads"`
	MaxReads int `json:"max_reads"`
	// Truncated reports a listing that left files out: what is not
	// listed was not looked at.
	Truncated bool `json:"truncated"`
}
