// Package ghfake is a stateful fake of GitHub: its REST API, the App-manifest
// flow and release downloads, served on loopback.
//
// The fake serves the API under the non-root base path /api-v3/ so that code
// building absolute URLs fails loudly. State (repositories, git objects,
// issues, pull requests, releases, check runs, installations, attestations)
// is seeded through Go methods and read back through accessors; every request
// is recorded, and a request the fake does not know is reported through
// T.Errorf: it fails the test, or, in a program, is returned by Program.Err.
//
// Tests import it, and so do two programs that are not tests: internal/demo
// (`bot demo` runs the App against it, so the fake is linked into the bot
// binary) and the benchmarks under bench/. Production code must not: it talks
// to the real GitHub. Because it ships in the binary, ghfake does not import
// testing: New takes a T, which *testing.T satisfies and Program implements
// for programs (deps_test.go at the module root keeps it that way).
package ghfake
