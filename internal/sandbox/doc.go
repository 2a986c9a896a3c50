// Package sandbox evaluates repository content in a child process, so that
// a hole in the manifest interpreter (a Go stack overflow, which no recover
// can catch; a runaway allocation; a loop the step budget misses) costs one
// failed job instead of the server.
//
// The child is the server's own binary, re-executed with a marker argument:
// every main that may start an Extractor calls Main first thing, which
// turns the process into a child when it carries the marker and returns
// otherwise. The child applies its operating-system limits to itself
// (os/exec cannot set them on another process) before reading any input:
// CPU seconds, address space, no core or file writes, few descriptors, a
// smaller Go stack, and closes every descriptor it inherited beyond stdin,
// stdout and stderr. It starts with an empty environment, in its own
// process group, and dies with its parent. The parent writes one JSON
// request on stdin, reads one bounded JSON response on stdout, keeps a
// bounded head of stderr for its log, and kills the process group once the
// wall-clock limit passes.
//
// Each child evaluates one manifest and exits: nothing a manifest does to
// the interpreter's state can reach the next. Starting the binary costs
// tens of milliseconds of CPU, so the Extractor keeps one child started
// ahead (the spare), confined and waiting on stdin, and starts the next
// once an extraction is done; a spare left unused exits after two
// minutes.
//
// Only the App (bot serve) uses it. The CLI (bot pins, check, fix)
// evaluates in process: there the user runs it on files of their own
// choosing, and a crash ends only their command.
//
// It owns the child's protocol, its limits and the errors that name a
// limit (LimitError). It imports the pin engine it runs (internal/pin,
// internal/pin/extract) and must not import what decides what to do with
// the result (verify, runner, jobs, config, server): those import it, for
// the Extractor, the limits' defaults and LimitError.
package sandbox
