package sandbox

import (
	"fmt"
	"os"
	"os/signal"
	"strconv"
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

// closeInherited closes every descriptor above stderr. Go opens its own
// files close-on-exec, but C libraries linked into the parent (SQLite,
// drivers) or a future change might not; the child needs none of them.
// It runs before the child opens anything of its own.
func closeInherited() error {
	dir, err := syscall.Open("/proc/self/fd", syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	var fds []int
	buf := make([]byte, 4096)
	for {
		n, err := syscall.ReadDirent(dir, buf)
		if err != nil {
			syscall.Close(dir)
			return err
		}
		if n <= 0 {
			break
		}
		_, _, names := syscall.ParseDirent(buf[:n], -1, nil)
		for _, name := range names {
			if fd, err := strconv.Atoi(name); err == nil && fd > 2 && fd != dir {
				fds = append(fds, fd)
			}
		}
	}
	syscall.Close(dir)
	for _, fd := range fds {
		// EBADF is fine: the descriptor was the directory listing's own,
		// or gone already.
		syscall.Close(fd)
	}
	return nil
}
