package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/manifest"
)

// Extractor runs manifest.Extract in child processes. It is safe for
// concurrent use.
type Extractor struct {
	limits Limits
	exe    string
	slots  chan struct{}
}

var _ manifest.ExtractFunc = (*Extractor)(nil).Extract

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
	x := &Extractor{limits: l, exe: exe, slots: make(chan struct{}, l.MaxChildren)}
	ctx, cancel := context.WithTimeout(context.Background(), selfCheckTimeout)
	defer cancel()
	res, err := x.Extract(ctx, "self-check.py", []byte("MANIFEST = {}\n"), manifest.Options{})
	if err == nil && res.File != "self-check.py" {
		err = fmt.Errorf("answered for %q", res.File)
	}
	if err != nil {
		return nil, fmt.Errorf("sandbox: %s does not answer as a sandbox child (does its main call sandbox.Main first?): %w", exe, err)
	}
	return x, nil
}

// selfCheckTimeout bounds New's check; a child starts in milliseconds.
const selfCheckTimeout = 10 * time.Second

// Limits are the limits each child runs under, defaults filled in.
func (x *Extractor) Limits() Limits { return x.limits }

// Extract evaluates src in a child and returns what manifest.Extract
// returns there: the result, or the same error types. A child killed or
// failing is a *LimitError. An error of any other type (the child could
// not start, ctx ended) says nothing about the manifest and is worth
// retrying.
func (x *Extractor) Extract(ctx context.Context, file string, src []byte, opts manifest.Options) (*manifest.Result, error) {
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
	return x.run(ctx, file, req)
}

func (x *Extractor) run(ctx context.Context, file string, req []byte) (*manifest.Result, error) {
	// Pdeathsig fires when the thread that forked the child ends, not the
	// process: keep this goroutine on its thread until the child is
	// reaped, so the Go scheduler cannot retire the thread under it.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	runCtx, cancel := context.WithTimeout(ctx, x.limits.Timeout)
	defer cancel()
	lim := childLimits{cpuSeconds: x.limits.CPUSeconds, memoryBytes: x.limits.MemoryBytes,
		maxStack: maxStack, parent: os.Getpid()}
	cmd := exec.CommandContext(runCtx, x.exe, append([]string{childArg}, lim.args()...)...)
	cmd.Env = []string{} // not nil, which would mean the parent's environment
	cmd.Dir = "/"
	cmd.SysProcAttr = sysProcAttr()
	cmd.Cancel = func() error { return killGroup(cmd.Process.Pid) }
	// The pipes close when the child dies; a grandchild holding them
	// (there should be none) cannot keep Wait waiting.
	cmd.WaitDelay = time.Second
	cmd.Stdin = bytes.NewReader(req)
	stdout := &boundedBuffer{max: maxResponseBytes}
	stderr := &boundedBuffer{max: maxStderrBytes}
	cmd.Stdout, cmd.Stderr = stdout, stderr

	start := time.Now()
	err := cmd.Run()
	// Whatever happened, nothing of the group may outlive the call.
	if cmd.Process != nil {
		_ = killGroup(cmd.Process.Pid) // ESRCH once the group is gone: nothing left to kill
	}
	log := zerolog.Ctx(ctx)
	if stderr.Len() > 0 {
		// A Go panic trace or fatal error: for operators, not for users.
		log.Warn().Str("file", file).Str("stderr", stderr.String()).Bool("stderr_truncated", stderr.over).
			Dur("elapsed", time.Since(start)).Msg("sandbox child wrote to stderr")
	}
	if cmd.Process == nil {
		return nil, fmt.Errorf("sandbox: start the child for %s: %w", file, err)
	}
	if ctx.Err() != nil {
		// The caller gave up (shutdown, job deadline): not the manifest's fault.
		return nil, fmt.Errorf("sandbox: evaluating %s: %w", file, ctx.Err())
	}
	if which, exit := x.classify(runCtx, cmd.ProcessState, err, stderr.String()); which != "" {
		e := limitError(file, x.limits, which, exit)
		log.Warn().Str("file", file).Str("limit", string(which)).Str("exit", exit).
			Dur("elapsed", time.Since(start)).Msg("sandbox child stopped")
		return nil, e
	}
	if stdout.over {
		return nil, limitError(file, x.limits, LimitOutput, "")
	}
	var resp response
	if err := json.Unmarshal(stdout.Bytes(), &resp); err != nil || (resp.Result == nil) == (resp.Error == nil) {
		log.Warn().Str("file", file).Int("bytes", stdout.Len()).Msg("sandbox child answered with a malformed response")
		return nil, limitError(file, x.limits, LimitCrash, "malformed response")
	}
	if resp.Error != nil {
		return nil, resp.Error.decode()
	}
	return resp.Result, nil
}

// classify says which limit ended the child, or "" when it exited
// normally. exit describes how it ended, for logs and crash messages.
func (x *Extractor) classify(runCtx context.Context, ps *os.ProcessState, runErr error, stderr string) (Limit, string) {
	if runErr == nil {
		return "", ""
	}
	exit := ps.String()
	if errors.Is(runCtx.Err(), context.DeadlineExceeded) {
		return LimitTimeout, exit
	}
	cpu := ps.UserTime() + ps.SystemTime()
	ws, _ := ps.Sys().(syscall.WaitStatus)
	switch {
	case ws.Exited() && ws.ExitStatus() == exitCPU,
		ws.Signaled() && (ws.Signal() == syscall.SIGXCPU || ws.Signal() == syscall.SIGKILL) &&
			cpu >= time.Duration(x.limits.CPUSeconds)*time.Second:
		return LimitCPU, exit
	case strings.Contains(stderr, "goroutine stack exceeds") || strings.Contains(stderr, "fatal error: stack overflow"):
		return LimitStack, exit
	case strings.Contains(stderr, "out of memory") || strings.Contains(stderr, "cannot allocate memory") ||
		// A thread's stack is data too: near the limit, starting one fails.
		strings.Contains(stderr, "pthread_create failed"):
		return LimitMemory, exit
	}
	return LimitCrash, exit
}

// boundedBuffer keeps the first max bytes written to it and discards the
// rest, so a child cannot make the parent hold more.
type boundedBuffer struct {
	bytes.Buffer
	max  int
	over bool
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room < len(p) {
		b.over = true
		if room > 0 {
			b.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return b.Buffer.Write(p)
}
