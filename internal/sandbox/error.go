package sandbox

import "fmt"

// Limit names what stopped a child.
type Limit string

// The ways a child can fail. LimitCrash is any other death (a Go fatal
// error, a signal, a malformed response): the evaluator failed on this
// input, and running it again would fail the same way.
const (
	LimitCPU     Limit = "cpu"
	LimitMemory  Limit = "memory"
	LimitTimeout Limit = "timeout"
	LimitStack   Limit = "stack"
	LimitOutput  Limit = "output"
	LimitCrash   Limit = "crash"
)

// LimitError reports a manifest whose evaluation was killed or failed in
// the child. Its message is written for the repository's maintainers (it
// ends up in a check run); the child's own stderr goes to the server log.
type LimitError struct {
	File  string
	Limit Limit
	// Detail says how the limit was met, e.g. "it used more than 10 s of
	// CPU time".
	Detail string
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%s could not be evaluated within pindrift's limits: %s", e.File, e.Detail)
}

func limitError(file string, l Limits, which Limit, exit string) *LimitError {
	e := &LimitError{File: file, Limit: which}
	switch which {
	case LimitCPU:
		e.Detail = fmt.Sprintf("it used more than %d s of CPU time", l.CPUSeconds)
	case LimitMemory:
		e.Detail = fmt.Sprintf("it needed more than %d MiB of memory", l.MemoryBytes>>20)
	case LimitTimeout:
		e.Detail = fmt.Sprintf("it ran longer than %s", l.Timeout)
	case LimitStack:
		e.Detail = fmt.Sprintf("its evaluation recursed past the %d MiB stack limit", maxStack>>20)
	case LimitOutput:
		e.Detail = fmt.Sprintf("its result is larger than %d MiB", maxResponseBytes>>20)
	default:
		e.Detail = "the evaluator failed on it (" + exit + "); the server log has the details"
	}
	return e
}
