package main

import (
	"fmt"
	"os"
	"sync"
	"testing"
)

// programTB lets a program start githubtest's fake GitHub, whose
// constructor takes a testing.TB. testing.TB has an unexported method, so
// the interface is embedded, nil: the methods the fake calls (Helper,
// Cleanup, Errorf, Fatalf) are implemented here, and a call to any other
// panics rather than passing silently.
type programTB struct {
	testing.TB

	mu       sync.Mutex
	cleanups []func()
	errs     []string
}

func (t *programTB) Helper() {}

func (t *programTB) Cleanup(f func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cleanups = append(t.cleanups, f)
}

// Errorf records a failure, such as a request the fake does not know; the
// benchmark reports it and exits non-zero.
func (t *programTB) Errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintln(os.Stderr, "fake GitHub:", msg)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.errs = append(t.errs, msg)
}

func (t *programTB) Error(args ...any) { t.Errorf("%s", fmt.Sprint(args...)) }

// Fatalf is only reached from the fake's seeding helpers, before the load
// starts, so stopping the program there is the honest answer.
func (t *programTB) Fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "fake GitHub: "+format+"\n", args...)
	os.Exit(2)
}

func (t *programTB) Fatal(args ...any) { t.Fatalf("%s", fmt.Sprint(args...)) }

func (t *programTB) Logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "fake GitHub: "+format+"\n", args...)
}

// errors is the failures the fake recorded so far.
func (t *programTB) errors() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.errs...)
}

// close runs the cleanups, last registered first.
func (t *programTB) close() {
	t.mu.Lock()
	fs := t.cleanups
	t.cleanups = nil
	t.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}
