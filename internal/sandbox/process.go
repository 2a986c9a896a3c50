package sandbox

import (
	"bytes"
	"io"
	"os/exec"
	"runtime"
)

// child is one started child process, waiting for or working on its one
// request.
type child struct {
	cmd            *exec.Cmd
	stdin          io.WriteCloser
	stdout, stderr *boundedBuffer
	ready          chan struct{} // closed once the child wrote its first byte: started up and confined
	done           chan struct{} // closed once the child is reaped
	waitErr        error
}

// startChild starts cmd from a goroutine that keeps its OS thread until
// the child is reaped: Pdeathsig fires when the thread that forked the
// child ends, not the process, and the Go scheduler may otherwise retire
// that thread while the child lives.
func startChild(cmd *exec.Cmd) (*child, error) {
	c := &child{cmd: cmd, stdout: &boundedBuffer{max: maxResponseBytes}, stderr: &boundedBuffer{max: maxStderrBytes},
		ready: make(chan struct{}), done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &readyWriter{w: c.stdout, ready: c.ready}, c.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	c.stdin = stdin
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		c.waitErr = cmd.Wait()
		close(c.done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return c, nil
}

// send writes the request and closes stdin. A child that dies first
// makes the write fail, which Wait's status explains better.
func (c *child) send(req []byte) {
	go func() {
		_, _ = c.stdin.Write(req) // EPIPE when the child died: reported by its exit status
		_ = c.stdin.Close()
	}()
}

func (c *child) alive() bool {
	select {
	case <-c.done:
		return false
	default:
		return true
	}
}

// kill kills the child's process group; once it is gone, there is
// nothing left to kill.
func (c *child) kill() {
	if c.alive() {
		_ = killGroup(c.cmd.Process.Pid) // ESRCH if it exited meanwhile: nothing left to kill
	}
}

// readyWriter closes ready at the first write: the child writes a newline
// (which JSON ignores) once it is ready for its request.
type readyWriter struct {
	w     io.Writer
	ready chan struct{}
	seen  bool
}

func (r *readyWriter) Write(p []byte) (int, error) {
	if !r.seen && len(p) > 0 {
		r.seen = true
		close(r.ready)
	}
	return r.w.Write(p)
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
