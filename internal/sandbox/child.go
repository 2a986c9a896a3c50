package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
)

// childArg marks a process as a sandbox child: os.Args[1]. It is not a
// command a user would type, and a process started with it by hand only
// reads a request on stdin under tight limits. closefds_linux.go spells
// it again in C.
const childArg = "__pindrift-sandbox-child"

// Exit codes the child uses to say what stopped it; the Go runtime's own
// fatal errors exit with 2.
const (
	exitBadSetup = 70 // arguments or limits could not be applied
	exitBadInput = 71 // the request could not be read
	exitCPU      = 72 // SIGXCPU: the soft CPU limit passed
	exitOrphan   = 73 // the parent was gone before the child started
	exitIdle     = 74 // a spare child waited spareIdle without a request
)

// spareIdle is how long a child waits for its request. The parent keeps
// one child started ahead; should the parent forget it (an Extractor
// dropped without Close), it does not linger.
const spareIdle = 2 * time.Minute

// Main turns the process into a sandbox child when it was started as one,
// and never returns then; otherwise it returns at once. Call it first in
// main (and in TestMain of test binaries that start an Extractor), before
// anything else runs.
func Main() { mainWith(nil) }

// mainWith is Main with an extra step before extraction; only test
// binaries pass one (see MainWithFaults).
func mainWith(fault func(src []byte) (*pin.Result, bool)) {
	if len(os.Args) < 2 || os.Args[1] != childArg {
		return
	}
	os.Exit(serveChild(os.Args[2:], os.Stdin, os.Stdout, fault))
}

func serveChild(args []string, stdin io.Reader, stdout io.Writer, fault func([]byte) (*pin.Result, bool)) int {
	lim, err := parseChildLimits(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sandbox child:", err)
		return exitBadSetup
	}
	// Limits first, and only then input: nothing the request holds runs
	// before the child is confined. (Inherited descriptors are closed
	// even earlier, before the Go runtime starts: closefds_linux.go.)
	if err := confine(lim); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox child:", err)
		return exitBadSetup
	}
	if os.Getppid() != lim.parent {
		return exitOrphan
	}
	debug.SetMaxStack(lim.maxStack)
	// The Go heap alone should stay well inside the data limit, which
	// also holds the runtime's reservations, stacks and tree-sitter's C
	// heap: past half of it the GC works harder before allocation fails.
	debug.SetMemoryLimit(lim.memoryBytes / 2)

	// Ready: a newline, which the response's JSON decoder skips.
	if _, err := stdout.Write([]byte("\n")); err != nil {
		return exitBadInput
	}
	idle := time.AfterFunc(spareIdle, func() { os.Exit(exitIdle) })
	data, err := io.ReadAll(io.LimitReader(stdin, maxRequestBytes+1))
	idle.Stop()
	if err != nil || len(data) > maxRequestBytes {
		fmt.Fprintf(os.Stderr, "sandbox child: read request (%d bytes): %v\n", len(data), err)
		return exitBadInput
	}
	var req request
	if err := json.Unmarshal(data, &req); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox child: decode request:", err)
		return exitBadInput
	}
	var resp response
	handled := false
	if fault != nil {
		resp.Result, handled = fault(req.Src)
	}
	if !handled {
		// No deadline here: the parent owns the wall clock and kills the
		// child at its limit.
		res, err := extract.File(context.Background(), req.File, req.Src, req.Options)
		if err != nil {
			resp.Error = encodeError(err)
		}
		resp.Result = res
	}
	if err := json.NewEncoder(stdout).Encode(&resp); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox child: write response:", err)
		return exitBadInput
	}
	return 0
}
