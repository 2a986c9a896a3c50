package sandbox

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Defaults for Limits fields left zero. A child of bot evaluating the
// real 22 KB manifest spends about 10 ms of CPU on it and peaks at 9 MB
// resident; it needs about 150 MiB of data mappings, most of them
// reservations the Go runtime and glibc make at start (it fails at 128
// MiB), so 256 MiB leaves about 100 MiB for a manifest's values. One child
// at a time, plus the spare, keeps a replica within the 384 MiB the
// deployments give it: about 100 MiB for the server at its peak, 256 MiB
// for a runaway child, 10 MiB for the spare. Raise MaxChildren together
// with the memory limit of the container or unit.
const (
	DefaultCPUSeconds  = 5
	DefaultMemoryBytes = 256 << 20
	DefaultTimeout     = 15 * time.Second
	DefaultMaxChildren = 1
)

// MinMemoryBytes is the least memory a bot child can start the Go runtime
// and tree-sitter and evaluate a real manifest in, with some room;
// configuration refuses less.
const MinMemoryBytes = 192 << 20

// Limits bound one child. Zero fields take the defaults.
type Limits struct {
	// CPUSeconds is the child's CPU time (RLIMIT_CPU), user and system.
	CPUSeconds int
	// MemoryBytes is the child's private writable memory (RLIMIT_DATA:
	// the Go heap, stacks, C allocations); the Go heap is asked to stay
	// within half of it (debug.SetMemoryLimit) so the GC works harder
	// before allocation fails. The address space (RLIMIT_AS) is bounded
	// 4 GiB above it, as a backstop.
	MemoryBytes int64
	// Timeout is the wall-clock time after which the parent kills the
	// child's process group, whatever it is doing.
	Timeout time.Duration
	// MaxChildren bounds the children running at once in this process;
	// further extractions wait for a slot (or for their context).
	MaxChildren int
}

func (l Limits) withDefaults() Limits {
	if l.CPUSeconds <= 0 {
		l.CPUSeconds = DefaultCPUSeconds
	}
	if l.MemoryBytes <= 0 {
		l.MemoryBytes = DefaultMemoryBytes
	}
	if l.Timeout <= 0 {
		l.Timeout = DefaultTimeout
	}
	if l.MaxChildren <= 0 {
		l.MaxChildren = DefaultMaxChildren
	}
	l.MemoryBytes = max(l.MemoryBytes, minMemoryBytes)
	return l
}

// childLimits is what the child applies to itself, passed as arguments.
type childLimits struct {
	cpuSeconds  int
	memoryBytes int64
	maxStack    int
	parent      int // the parent's pid: a child orphaned before Pdeathsig took hold exits
	faults      bool
}

// maxStack bounds the child's goroutine stacks well under Go's 1 GB
// default, so a runaway recursion ends as a stack overflow long before it
// meets the address-space limit. The interpreter bounds Python call depth
// (64 by default); its deepest legitimate Go stacks are a few MiB.
const maxStack = 64 << 20

func (c childLimits) args() []string {
	return []string{
		"cpu=" + strconv.Itoa(c.cpuSeconds),
		"mem=" + strconv.FormatInt(c.memoryBytes, 10),
		"stack=" + strconv.Itoa(c.maxStack),
		"parent=" + strconv.Itoa(c.parent),
	}
}

func parseChildLimits(args []string) (childLimits, error) {
	var c childLimits
	seen := map[string]bool{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok || seen[k] {
			return c, fmt.Errorf("bad sandbox argument %q", a)
		}
		seen[k] = true
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return c, fmt.Errorf("bad sandbox argument %q", a)
		}
		switch k {
		case "cpu":
			c.cpuSeconds = int(n)
		case "mem":
			c.memoryBytes = n
		case "stack":
			c.maxStack = int(n)
		case "parent":
			c.parent = int(n)
		default:
			return c, fmt.Errorf("unknown sandbox argument %q", a)
		}
	}
	if len(seen) != 4 {
		return c, fmt.Errorf("sandbox arguments %q: want cpu, mem, stack and parent", args)
	}
	return c, nil
}
