// Package repoconfig reads a repository's pindrift configuration,
// .github/pindrift.yml (Path), from GitHub, falling back to the owner's
// .github repository: strictly (an unknown key, a duplicate key or a value
// of the wrong kind is an error), every problem reported at once with its
// line, column and key, as an *Error whose Problems can annotate a check
// run. It owns the file's path, its types and its errors
// (ErrNotConfigured, Error).
//
// Limits: the file is at most MaxBytes, MaxDepth levels deep and MaxNodes
// values; it lists at most MaxManifests manifests (more is an error at
// the manifests key). Each manifest is read up to pin.DefaultMaxFileBytes,
// and all of a repository's manifests up to MaxTotalManifestBytes
// together; a manifest over either limit is reported as unreadable at its
// entry (Manifest.Line), and the others are still verified.
//
// It sits low in the layering, so that the runner can import it: it must
// not import config (the server's configuration), server, webhook, jobs
// or runner.
package repoconfig

import "github.com/pindrift/pindrift/internal/strictyaml"

// Error is an invalid repository configuration: every problem found, in
// file order, where it was read from (Source) and whether it is the
// owner's default rather than the repository's own file (OwnerDefault).
type Error = strictyaml.Error

// Problem is one thing wrong with the file, and where it is.
type Problem = strictyaml.Problem
