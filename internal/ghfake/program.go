package ghfake

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
)

// Program lets a program that is not a test (the webhook benchmark, `bot
// demo`) run the fake, whose constructor takes a testing.TB:
//
//	tb := ghfake.Standalone(os.Stderr)
//	defer tb.Close()
//	gh := ghfake.New(tb)
//	...
//	if err := tb.Err(); err != nil { ... } // e.g. a request the fake does not know
//
// testing.TB has an unexported method, so the interface is embedded, nil:
// the methods the fake calls (Helper, Cleanup, Error(f), Fatal(f), Log(f))
// are implemented here, and a call to any other panics rather than passing
// silently.
type Program struct {
	testing.TB

	log io.Writer

	mu       sync.Mutex
	cleanups []func()
	failures []string
}

// Standalone returns a Program. log receives each failure as it is
// recorded and the fake's log lines, one write at a time; nil discards
// them (Err still reports the failures).
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

func (p *Program) Error(args ...any) { p.Errorf("%s", fmt.Sprint(args...)) }

// Fatalf records the failure and panics with a *Fatal: like a test's
// FailNow it stops the goroutine, running its deferred calls (the fake's
// lock is released). An unrecovered panic ends the program with status 2.
func (p *Program) Fatalf(format string, args ...any) {
	p.Errorf(format, args...)
	panic(&Fatal{Message: fmt.Sprintf(format, args...)})
}

func (p *Program) Fatal(args ...any) { p.Fatalf("%s", fmt.Sprint(args...)) }

func (p *Program) Logf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.log, "fake GitHub: "+format+"\n", args...)
}

func (p *Program) Log(args ...any) { p.Logf("%s", fmt.Sprint(args...)) }

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
