// Package verify fetches the bytes behind pinned URLs, hashes them as they
// stream, and classifies each URL: ok, drift, missing, unreachable or
// refused. Only drift claims the bytes changed; every failure to look at
// the bytes is something else. The package knows nothing of GitHub: release
// metadata reaches it through the AssetResolver interface.
//
// It owns the rules of a transfer: public addresses only, checked again
// after DNS and on every redirect (safety.go); a deadline and a minimum
// rate per download (throughput.go); one byte budget per run, and one
// transfer for all the URLs of the same asset (budget.go). It also owns
// the verify modes (full, metadata, auto), the Cache of verified assets
// and its one-file implementation for the CLI (filecache.go).
//
// It imports internal/pin and nothing else of pindrift. It must not import
// go-github (ghrelease is the GitHub side), nor any package that acts on an
// outcome (issues, patch, remedy, runner, jobs, webhook, config, server):
// the CLI and the App share it as it is.
package verify
