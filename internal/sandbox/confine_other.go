//go:build !linux

package sandbox

import (
	"errors"
	"syscall"
)

// Outside Linux the child could be neither tied to its parent's life
// (Pdeathsig) nor cleared of inherited descriptors before the Go runtime
// starts, so it refuses to run: New's self-check fails with this reason
// rather than the App evaluating repository content less confined.

func sysProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

func killGroup(pid int) error { return syscall.Kill(-pid, syscall.SIGKILL) }

func confine(childLimits) error {
	return errors.New("the sandbox for repository content needs Linux (Pdeathsig, RLIMIT_DATA, close_range)")
}
