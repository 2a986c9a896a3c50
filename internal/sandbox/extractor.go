package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/pin"
)

// Extractor runs extract.File in child processes, one child per
// extraction. Starting the server's binary costs tens of milliseconds
// (the runtime and every package's initialisation), so one child is kept
// started ahead, waiting for its request, and replaced as soon as it is
// taken. It is safe for concurrent use.
type Extractor struct {
	limits Limits
	exe    string
	slots  chan struct{}
	spare  chan *child

	mu     sync.Mutex
	closed bool
}

var _ pin.ExtractFunc = (*Extractor)(nil).Extract

// New returns an Extractor that re-executes the running binary, whose
// main must call Main first. It evaluates a one-line manifest to prove
// that the binary answers as a child, so a main that forgot Main fails
// here rather than on the first job.
func New(l Limits) (*Extractor, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("sandbox: find the running binary to re-execute: %w", err)
	}
	l = l.withDefaults()
	x := &Extractor{limits: l, exe: exe, slots: make(chan struct{}, l.MaxChildren), spare: make(chan *child, 1)}
	ctx, cancel := context.WithTimeout(context.Background(), selfCheckTimeout)
	defer cancel()
	// The check runs under the configured limits but its own wall clock:
	// a busy machine must not fail it, whereas a memory limit the binary
	// cannot start in must.
	res, err := x.extract(ctx, "self-check.py", []byte("MANIFEST = {}\n"), pin.Options{}, max(l.Timeout, selfCheckTimeout))
	if err == nil && res.File != "self-check.py" {
		err = fmt.Errorf("answered for %q", res.File)
	}
	if err != nil {
		x.Close()
		return nil, fmt.Errorf("sandbox: %s does not answer as a sandbox child (does its main call sandbox.Main first?): %w", exe, err)
	}
	return x, nil
}

// selfCheckTimeout bounds New's check; a child starts in milliseconds.
const selfCheckTimeout = 10 * time.Second

// Limits are the limits each child runs under, defaults filled in.
func (x *Extractor) Limits() Limits { return x.limits }

// Close kills the spare child; extractions still running finish. Later
// extractions start their child on demand.
func (x *Extractor) Close() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.closed = true
	select {
	case c := <-x.spare:
		c.kill()
	default:
	}
}

// Extract evaluates src in a child and returns what extract.File
// returns there: the result, or the same error types. A child killed or
// failing is a *LimitError. An error of any other type (the child could
// not start, ctx ended) says nothing about the manifest and is worth
// retrying.
func (x *Extractor) Extract(ctx context.Context, file string, src []byte, opts pin.Options) (*pin.Result, error) {
	return x.extract(ctx, file, src, opts, x.limits.Timeout)
}

func (x *Extractor) extract(ctx context.Context, file string, src []byte, opts pin.Options, timeout time.Duration) (*pin.Result, error) {
	req, err := json.Marshal(request{File: file, Src: src, Options: opts})
	if err != nil {
		return nil, fmt.Errorf("sandbox: encode the request for %s: %w", file, err)
	}
	select {
	case x.slots <- struct{}{}:
		defer func() { <-x.slots }()
	case <-ctx.Done():
		return nil, fmt.Errorf("sandbox: waiting to evaluate %s: %w", file, ctx.Err())
	}
	c, err := x.take()
	// The next spare starts once this extraction is done, so that its
	// start does not compete with the extraction for the CPU.
	defer func() { go x.refill() }()
	if err != nil {
		return nil, fmt.Errorf("sandbox: start the child for %s: %w", file, err)
	}
	res, err := x.run(ctx, c, file, req, timeout)
	if errors.Is(err, errIdle) {
		// The spare gave up waiting just as it was handed the request;
		// a fresh child cannot have.
		if c, err = x.start(); err != nil {
			return nil, fmt.Errorf("sandbox: start the child for %s: %w", file, err)
		}
		res, err = x.run(ctx, c, file, req, timeout)
	}
	return res, err
}

// take returns the spare child if it is still waiting, else a new one.
func (x *Extractor) take() (*child, error) {
	for {
		select {
		case c := <-x.spare:
			if c.alive() {
				return c, nil
			}
		default:
			return x.start()
		}
	}
}

func (x *Extractor) refill() {
	x.mu.Lock()
	closed := x.closed
	x.mu.Unlock()
	if closed || len(x.spare) > 0 {
		return
	}
	c, err := x.start()
	if err != nil {
		// The next extraction starts its own child and reports the error
		// where it matters.
		return
	}
	// Under the lock, so that a Close meanwhile cannot miss this child.
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		c.kill()
		return
	}
	select {
	case x.spare <- c:
	default:
		c.kill() // another refill won
	}
}

// errIdle is a spare child that exited for want of a request.
var errIdle = errors.New("sandbox child gave up waiting for its request")

func (x *Extractor) start() (*child, error) {
	lim := childLimits{cpuSeconds: x.limits.CPUSeconds, memoryBytes: x.limits.MemoryBytes,
		maxStack: maxStack, parent: os.Getpid()}
	cmd := exec.Command(x.exe, append([]string{childArg}, lim.args()...)...)
	cmd.Env = childEnv() // never nil, which would mean the parent's environment
	cmd.Dir = "/"
	cmd.SysProcAttr = sysProcAttr()
	// The pipes close when the child dies; a grandchild holding them
	// (there should be none) cannot keep Wait waiting.
	cmd.WaitDelay = time.Second
	return startChild(cmd)
}

func (x *Extractor) run(ctx context.Context, c *child, file string, req []byte, timeout time.Duration) (*pin.Result, error) {
	log := zerolog.Ctx(ctx)
	start := time.Now()
	c.send(req)
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	timedOut := false
	select {
	case <-c.done:
	case <-timer.C:
		timedOut = true
		c.kill()
	case <-ctx.Done():
		c.kill()
	}
	<-c.done
	stderr := c.stderr.String()
	if stderr != "" {
		// A Go panic trace or fatal error: for operators, not for users.
		log.Warn().Str("file", file).Str("stderr", stderr).Bool("stderr_truncated", c.stderr.over).
			Dur("elapsed", time.Since(start)).Msg("sandbox child wrote to stderr")
	}
	if ctx.Err() != nil && !timedOut {
		// The caller gave up (shutdown, job deadline): not the manifest's fault.
		return nil, fmt.Errorf("sandbox: evaluating %s: %w", file, ctx.Err())
	}
	if which, exit := x.classify(timedOut, c.cmd.ProcessState, c.waitErr, stderr); which != "" {
		if which == limitIdle {
			return nil, errIdle
		}
		log.Warn().Str("file", file).Str("limit", string(which)).Str("exit", exit).
			Dur("elapsed", time.Since(start)).Msg("sandbox child stopped")
		return nil, limitError(file, x.limits, which, exit)
	}
	if c.stdout.over {
		return nil, limitError(file, x.limits, LimitOutput, "")
	}
	var resp response
	if err := json.Unmarshal(c.stdout.Bytes(), &resp); err != nil || (resp.Result == nil) == (resp.Error == nil) {
		log.Warn().Str("file", file).Int("bytes", c.stdout.Len()).Msg("sandbox child answered with a malformed response")
		return nil, limitError(file, x.limits, LimitCrash, "malformed response")
	}
	if resp.Error != nil {
		return nil, resp.Error.decode()
	}
	return resp.Result, nil
}

// limitIdle is not a limit the manifest met: the spare exited unused.
const limitIdle Limit = "idle"

// classify says which limit ended the child, or "" when it exited
// normally. exit describes how it ended, for logs and crash messages.
func (x *Extractor) classify(timedOut bool, ps *os.ProcessState, waitErr error, stderr string) (Limit, string) {
	if timedOut {
		return LimitTimeout, ps.String()
	}
	if waitErr == nil {
		return "", ""
	}
	if ps == nil {
		return LimitCrash, waitErr.Error()
	}
	exit := ps.String()
	cpu := ps.UserTime() + ps.SystemTime()
	ws, _ := ps.Sys().(syscall.WaitStatus)
	switch {
	case ws.Exited() && ws.ExitStatus() == exitIdle:
		return limitIdle, exit
	case ws.Exited() && ws.ExitStatus() == exitCPU,
		ws.Signaled() && (ws.Signal() == syscall.SIGXCPU || ws.Signal() == syscall.SIGKILL) &&
			cpu >= time.Duration(x.limits.CPUSeconds)*time.Second:
		return LimitCPU, exit
	case strings.Contains(stderr, "goroutine stack exceeds") || strings.Contains(stderr, "fatal error: stack overflow"):
		return LimitStack, exit
	case strings.Contains(stderr, "out of memory") || strings.Contains(stderr, "cannot allocate memory") ||
		// A thread's stack is data too: near the limit, starting one fails.
		strings.Contains(stderr, "pthread_create failed") ||
		// tree-sitter's allocator, or the race detector's runtime in
		// race-enabled test binaries.
		strings.Contains(stderr, "failed to allocate"):
		return LimitMemory, exit
	}
	return LimitCrash, exit
}
