// Package benchapp holds what the benchmarks under bench/ share to run the
// real App against the fake GitHub: its configuration, written as an
// operator would and loaded through bot serve's own path.
//
// Only the commands under bench/ import it (Go's internal rule). It
// imports internal/config and the fake GitHub and builds no App: each
// benchmark starts internal/server itself, so what it measures stays in
// its own main.
package benchapp
