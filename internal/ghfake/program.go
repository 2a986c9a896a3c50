package ghfake

import (
	"errors"
	"fmt"
	"io"
	"sync"
)

// Program runs the fake in a program that is not a test (`bot demo`, the
// benchmarks):
//
//	tb := ghfake.Standalone(os.Stderr)
//	defer tb.Close()
//	defer tb.Recover(&err) // a seeding mistake becomes err
//	gh := ghfake.New(tb)
//	...
//	if err := tb.Err(); err != nil { ... } // e.g. a request the fake does not know
//
// It implements exactly T: failures are logged and kept for Err, cleanups
// wait for Close.
type Program struct {
	log io.Writer

	mu       sync.Mutex
	cleanups []func()
	failures []string
}

var _ T = (*Program)(nil)

// Standalone returns a Program. log receives each failure as it is
// recorded, one write at a time; nil discards them (Err still reports the
// failures).
func Standalone(log io.Writer) *Program {
	if log == nil {
		log = io.Discard
	}
	return &Program{log: log}
}

// Fatal is the value Fatalf panics with. A seeding helper of the fake
// fails this way when called with something it does not hold (an
// unknown repository, release or ref), a mistake in the program; Recover
// turns it back into an error.
type Fatal struct{ Message string }

func (f *Fatal) Error() string { return "fake GitHub: " + f.Message }

// Helper does nothing: there is no test output whose lines it would adjust.
func (p *Program) Helper() {}

// Cleanup registers f to run on Close, last registered first.
func (p *Program) Cleanup(f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cleanups = append(p.cleanups, f)
}

// Errorf records a failure, such as a request the fake does not know, and
// lets the program go on, as a test would; Err reports it.
func (p *Program) Errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintln(p.log, "fake GitHub:", msg)
	p.failures = append(p.failures, msg)
}

// Fatalf records the failure and panics with a *Fatal, which Recover turns
// into the caller's error. The seeding helper that calls it cannot go on (it
// holds no repository or release to change), and a test's Fatalf stops the
// goroutine too; the panic runs the deferred calls, so the fake's lock is
// released and it stays usable. Only seeding helpers call it, on the
// program's own goroutine, never a request handler.
func (p *Program) Fatalf(format string, args ...any) {
	p.Errorf(format, args...)
	panic(&Fatal{Message: fmt.Sprintf(format, args...)})
}

// Failed reports whether a failure was recorded.
func (p *Program) Failed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.failures) > 0
}

// Failures returns the failures recorded so far, oldest first.
func (p *Program) Failures() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.failures...)
}

// Err joins the recorded failures into one error, nil when there are none.
func (p *Program) Err() error {
	var errs []error
	for _, f := range p.Failures() {
		errs = append(errs, errors.New("fake GitHub: "+f))
	}
	return errors.Join(errs...)
}

// Recover, deferred, turns a Fatalf panic into *errp (when *errp is still
// nil); any other panic goes on.
//
//	func run() (err error) {
//		defer tb.Recover(&err)
func (p *Program) Recover(errp *error) {
	r := recover()
	if r == nil {
		return
	}
	f, ok := r.(*Fatal)
	if !ok {
		panic(r)
	}
	if *errp == nil {
		*errp = f
	}
}

// Close runs the cleanups (the fake's listener is closed), last
// registered first.
func (p *Program) Close() {
	p.mu.Lock()
	fs := p.cleanups
	p.cleanups = nil
	p.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}
