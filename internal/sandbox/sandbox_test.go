package sandbox_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/sandbox"
)

// fixtureDir holds real published manifests; tests using it skip without.
const fixtureDir = "../../../shared/fixtures/smolvm-published"

func newExtractor(t *testing.T, l sandbox.Limits) *sandbox.Extractor {
	t.Helper()
	x, err := sandbox.New(l)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// logCtx returns a context whose logger writes into the returned buffer.
func logCtx(t *testing.T) (context.Context, *syncBuffer) {
	t.Helper()
	var buf syncBuffer
	return zerolog.New(&buf).WithContext(context.Background()), &buf
}

const pinned = `import os
BASE = "https://github.com/acme/images/releases/download/v1"
SHA = "` + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + `"
def row(name, sha):
    return {"url": f"{BASE}/{name}", "sha256": sha}
MANIFEST = {
    "a": row("a.img", SHA),
    "b": row("b.img", os.environ.get("B_SHA", "` + "ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789" + `")),
    "c": row("c.img", "not-a-sha"),
    "d": row("d.img", UNKNOWN),
}
`

// TestRoundTrip: what comes back from the child is exactly what
// extract.File returns in process.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	darwin, err := pin.ParsePlatform("darwin/arm64")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		src  []byte
		opts pin.Options
	}{
		"inline": {[]byte(pinned), pin.Options{}},
		"inline, env and platforms": {[]byte(pinned), pin.Options{Symbols: []string{pin.AllSymbols},
			Env: map[string]string{"B_SHA": strings.Repeat("e", 64)}, Platforms: []pin.Platform{pin.DefaultPlatform, darwin}}},
		"no symbols": {[]byte("x = 1\n"), pin.Options{}},
		// A repository config's format: and *_fields: cross to the child.
		"json by format, with fields": {[]byte(`{"k": {"download": "https://x.example/k", "sum": "` + strings.Repeat("e", 64) + `"}}`),
			pin.Options{Format: pin.JSON, Fields: pin.Fields{URL: []string{"download"}, Digest: []string{"sum"}}}},
	}
	fixtures, _ := filepath.Glob(filepath.Join(fixtureDir, "*.py"))
	if len(fixtures) == 0 {
		t.Logf("no real manifests under %s; inline ones only", fixtureDir)
	}
	for _, f := range fixtures {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cases[filepath.Base(f)] = struct {
			src  []byte
			opts pin.Options
		}{src, pin.Options{}}
	}
	x := newExtractor(t, sandbox.Limits{})
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want, err := extract.File(context.Background(), "src/published.py", tc.src, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			got, err := x.Extract(context.Background(), "src/published.py", tc.src, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(want.Pins) == 0 && name != "no symbols" {
				t.Fatalf("the case finds no pins; it tests nothing")
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("sandboxed result differs from in-process (-want +got):\n%s", d)
			}
		})
	}
}

// TestErrorsCrossThePipe: the child's manifest errors come back as the same
// types, so errors.As and the runner's handling keep working.
func TestErrorsCrossThePipe(t *testing.T) {
	t.Parallel()
	x := newExtractor(t, sandbox.Limits{})
	cases := map[string]struct {
		src  string
		opts pin.Options
		as   func(error) bool
	}{
		"syntax": {"MANIFEST = (\n", pin.Options{}, func(err error) bool { var e *pin.SyntaxError; return errors.As(err, &e) }},
		"budget": {"while True:\n    pass\n", pin.Options{}, func(err error) bool { var e *pin.BudgetError; return errors.As(err, &e) }},
		"too large": {pinned, pin.Options{MaxFileBytes: 100}, func(err error) bool {
			var e *pin.TooLargeError
			return errors.As(err, &e)
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, want := extract.File(context.Background(), "m.py", []byte(tc.src), tc.opts)
			_, got := x.Extract(context.Background(), "m.py", []byte(tc.src), tc.opts)
			if want == nil || !tc.as(want) {
				t.Fatalf("in process: %v; the case does not produce the error it tests", want)
			}
			if !tc.as(got) {
				t.Fatalf("sandboxed error %T %v, want the same type as in process (%T)", got, got, want)
			}
			if d := cmp.Diff(want, got, cmpopts.IgnoreUnexported(pin.BudgetError{})); d != "" {
				t.Errorf("sandboxed error differs (-want +got):\n%s", d)
			}
		})
	}
}

// testMemMiB is the memory limit of the memory runaway: the default, or
// what a race-detector child needs to start.
var testMemMiB = map[bool]int64{false: 256, true: 1024}[raceEnabled]

// TestChildFailures: a child that crashes, spins, allocates or hangs is
// stopped, and its error says which limit in words for the maintainer;
// the runtime's own output goes to the log at warn.
func TestChildFailures(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		src     string
		limits  sandbox.Limits
		limit   sandbox.Limit
		message string
		log     string
	}{
		"stack overflow": {src: sandbox.FaultPrefix + "stack\n", limit: sandbox.LimitStack,
			message: "m.py could not be evaluated within pindrift's limits: its evaluation recursed past the 64 MiB stack limit",
			log:     "stack"},
		"cpu runaway": {src: sandbox.FaultPrefix + "cpu\n", limits: sandbox.Limits{CPUSeconds: 1}, limit: sandbox.LimitCPU,
			message: "m.py could not be evaluated within pindrift's limits: it used more than 1 s of CPU time",
			log:     "CPU time limit exceeded"},
		"memory runaway": {src: sandbox.FaultPrefix + "memory\n", limits: sandbox.Limits{MemoryBytes: testMemMiB << 20}, limit: sandbox.LimitMemory,
			message: fmt.Sprintf("m.py could not be evaluated within pindrift's limits: it needed more than %d MiB of memory", testMemMiB),
			// Where the runtime meets the limit decides its words.
			log: "out of memory|pthread_create failed|failed to allocate"},
		"hang": {src: sandbox.FaultPrefix + "hang\n", limits: sandbox.Limits{Timeout: time.Second}, limit: sandbox.LimitTimeout,
			message: "m.py could not be evaluated within pindrift's limits: it ran longer than 1s"},
		"malformed response": {src: sandbox.FaultPrefix + "garbage\n", limit: sandbox.LimitCrash,
			message: "m.py could not be evaluated within pindrift's limits: the evaluator failed on it (malformed response); the server log has the details"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			x := newExtractor(t, tc.limits)
			ctx, logs := logCtx(t)
			res, err := x.Extract(ctx, "m.py", []byte(tc.src), pin.Options{})
			var le *sandbox.LimitError
			if !errors.As(err, &le) {
				t.Fatalf("Extract = %v, %v; want a *sandbox.LimitError", res, err)
			}
			if le.Limit != tc.limit || err.Error() != tc.message {
				t.Errorf("error %q (limit %s)\nwant  %q (limit %s)", err, le.Limit, tc.message, tc.limit)
			}
			if strings.Contains(err.Error(), "goroutine") {
				t.Errorf("the user-facing error carries the runtime's trace: %q", err)
			}
			if !strings.Contains(logs.String(), `"level":"warn"`) || !regexp.MustCompile(tc.log).MatchString(logs.String()) {
				t.Errorf("log does not hold %q at warn:\n%.2000s", tc.log, logs.String())
			}
		})
	}
}

// TestHostileManifests: the manifests under testdata/hostile/sbx_* end as
// an error of their own, whatever the interpreter does with them, and the
// process that asked survives.
func TestHostileManifests(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("../pin/python/testdata/hostile/sbx_*.py")
	if len(files) == 0 {
		t.Fatal("no hostile manifests found")
	}
	x := newExtractor(t, sandbox.Limits{CPUSeconds: 2})
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			_, err = x.Extract(context.Background(), filepath.Base(f), src, pin.Options{})
			var le *sandbox.LimitError
			var be *pin.BudgetError
			if !errors.As(err, &le) && !errors.As(err, &be) {
				t.Fatalf("Extract error = %v; want a limit or budget error", err)
			}
			t.Logf("%v", err)
		})
	}
}

// TestCleanEnvironment: nothing of the server's environment, its secrets
// least of all, reaches the child.
func TestCleanEnvironment(t *testing.T) {
	t.Setenv("GITHUB_APP_PRIVATE_KEY", "-----BEGIN RSA PRIVATE KEY-----secret")
	t.Setenv("PINDRIFT_DATABASE_URL", "postgres://user:secret@db/pindrift")
	x := newExtractor(t, sandbox.Limits{})
	res, err := x.Extract(context.Background(), "m.py", []byte(sandbox.FaultPrefix+"env\n"), pin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[bool]string{false: "", true: "GORACE=atexit_sleep_ms=0"}[raceEnabled]
	if res.File != want {
		t.Errorf("the child's environment is\n%s\nwant %q", res.File, want)
	}
}

// TestNoInheritedDescriptors: a descriptor the server holds open without
// close-on-exec (as C code may) is closed in the child before it reads
// anything.
func TestNoInheritedDescriptors(t *testing.T) {
	t.Parallel()
	secret := filepath.Join(t.TempDir(), "private-key.pem")
	if err := os.WriteFile(secret, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	fd, err := syscall.Open(secret, syscall.O_RDONLY, 0) // deliberately without O_CLOEXEC
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	x := newExtractor(t, sandbox.Limits{})
	res, err := x.Extract(context.Background(), "m.py", []byte(sandbox.FaultPrefix+"fds\n"), pin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("child descriptors: %s", res.File)
	if strings.Contains(res.File, secret) {
		t.Errorf("the child holds the parent's descriptor %d to %s: %s", fd, secret, res.File)
	}
	for _, want := range []string{"0->", "1->", "2->"} {
		if !strings.Contains(res.File, want) {
			t.Errorf("the child lacks stdio descriptor %s: %s", want, res.File)
		}
	}
}

// TestCallerCancels: a caller giving up is not the manifest's fault: the
// error is the context's, not a LimitError, so the job can be retried.
func TestCallerCancels(t *testing.T) {
	t.Parallel()
	x := newExtractor(t, sandbox.Limits{})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for sandbox.Running(x) == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	_, err := x.Extract(ctx, "m.py", []byte(sandbox.FaultPrefix+"hang\n"), pin.Options{})
	var le *sandbox.LimitError
	if !errors.Is(err, context.Canceled) || errors.As(err, &le) {
		t.Fatalf("Extract = %v; want context.Canceled and no LimitError", err)
	}
}

// TestMaxChildren: with every slot taken, an extraction waits, and gives up
// with its context.
func TestMaxChildren(t *testing.T) {
	t.Parallel()
	x := newExtractor(t, sandbox.Limits{MaxChildren: 1})
	first, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := x.Extract(first, "a.py", []byte(sandbox.FaultPrefix+"hang\n"), pin.Options{})
		done <- err
	}()
	for sandbox.Running(x) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	second, cancel2 := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel2()
	_, err := x.Extract(second, "b.py", []byte("x = 1\n"), pin.Options{})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "waiting to evaluate b.py") {
		t.Errorf("second Extract = %v; want it to wait for the slot until its deadline", err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("first Extract = %v; want context.Canceled", err)
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
