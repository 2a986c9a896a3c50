package sandbox

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// sysProcAttr starts the child in its own process group, so the parent can
// kill it and anything it started at once, and has the kernel kill it when
// the thread that started it ends (the caller keeps that thread locked).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup kills the child's process group.
func killGroup(pid int) error { return syscall.Kill(-pid, syscall.SIGKILL) }

// addressSpaceSlack is the address space allowed beyond the data limit:
// the Go runtime's and glibc's untouched reservations (about 1.5 GB at
// start, 72 MB more per thread).
const addressSpaceSlack = 4 << 30

// maxFiles is the child's descriptor limit: stdio and what the Go runtime
// opens for itself.
const maxFiles = 32

// confine applies the limits to the running child. RLIMIT_CPU's soft limit
// sends SIGXCPU, which the Go runtime ignores unless asked: the child
// exits with exitCPU on it, and the hard limit a second later kills it if
// it cannot.
func confine(l childLimits) error {
	set := func(name string, res int, soft, hard uint64) error {
		if err := syscall.Setrlimit(res, &syscall.Rlimit{Cur: soft, Max: hard}); err != nil {
			return fmt.Errorf("set %s to %d: %w", name, soft, err)
		}
		return nil
	}
	xcpu := make(chan os.Signal, 1)
	signal.Notify(xcpu, syscall.SIGXCPU)
	go func() {
		<-xcpu
		os.Stderr.WriteString("sandbox child: CPU time limit exceeded\n")
		os.Exit(exitCPU)
	}()
	cpu := uint64(l.cpuSeconds)
	mem := uint64(l.memoryBytes)
	// RLIMIT_DATA counts private writable memory (the Go heap, stacks,
	// C's malloc), which is what a runaway grows. RLIMIT_AS would count
	// reservations the child never touches: it starts at about 1.6 GB of
	// address space with 9 MB resident and 115 MB of data, so it is only
	// a backstop here, well above the data limit.
	as := mem + addressSpaceSlack
	for _, r := range []struct {
		name       string
		res        int
		soft, hard uint64
	}{
		{"RLIMIT_CORE", syscall.RLIMIT_CORE, 0, 0},
		{"RLIMIT_FSIZE", syscall.RLIMIT_FSIZE, 0, 0},
		{"RLIMIT_NOFILE", syscall.RLIMIT_NOFILE, maxFiles, maxFiles},
		{"RLIMIT_CPU", syscall.RLIMIT_CPU, cpu, cpu + 1},
		{"RLIMIT_DATA", syscall.RLIMIT_DATA, mem, mem},
		{"RLIMIT_AS", syscall.RLIMIT_AS, as, as},
	} {
		if err := set(r.name, r.res, r.soft, r.hard); err != nil {
			return err
		}
	}
	return nil
}
