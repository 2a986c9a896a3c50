package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/runner"
)

// testDatabase is one database a test runs against.
type testDatabase struct {
	name   string
	url    string
	schema string // PostgreSQL only
}

// forEachDatabase runs fn against SQLite and, when PINDRIFT_TEST_DATABASE_URL
// is set, PostgreSQL, each in a database (file or schema) of its own.
func forEachDatabase(t *testing.T, fn func(t *testing.T, db testDatabase)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, testDatabase{name: "sqlite", url: "sqlite://" + filepath.Join(t.TempDir(), "jobs.db")})
	})
	t.Run("postgres", func(t *testing.T) {
		url := os.Getenv("PINDRIFT_TEST_DATABASE_URL")
		if url == "" {
			t.Skip("PINDRIFT_TEST_DATABASE_URL is not set; PostgreSQL tests skipped")
		}
		t.Parallel()
		fn(t, testDatabase{name: "postgres", url: url, schema: freshSchema(t, url)})
	})
}

// freshSchema names a schema that Open creates and the test's cleanup drops.
func freshSchema(t *testing.T, url string) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	schema := "pindrift_test_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

// testContext carries a logger that writes warnings and errors to t.
func testContext(t *testing.T) context.Context {
	t.Helper()
	l := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel).With().Timestamp().Logger()
	return l.WithContext(context.Background())
}

// fastOptions keeps tests quick: short polls, lock retries and backoff.
func fastOptions(h Handler) Options {
	return Options{
		Handler:      h,
		Workers:      4,
		LockTTL:      3 * time.Second,
		LockRetry:    50 * time.Millisecond,
		PollInterval: 50 * time.Millisecond,
		RetryBackoff: func(int) time.Duration { return 50 * time.Millisecond },
	}
}

// openJobs opens db and closes it when the test ends.
func openJobs(t *testing.T, db testDatabase, opts Options) *Jobs {
	t.Helper()
	opts.Schema = db.schema
	ctx, cancel := context.WithTimeout(testContext(t), 30*time.Second)
	defer cancel()
	j, err := Open(ctx, db.url, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := j.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return j
}

func startJobs(t *testing.T, j *Jobs) {
	t.Helper()
	if err := j.Start(testContext(t)); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := j.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
}

func enqueue(t *testing.T, j *Jobs, a Args) Enqueued {
	t.Helper()
	ctx, cancel := context.WithTimeout(testContext(t), 15*time.Second)
	defer cancel()
	res, err := j.Enqueue(ctx, a)
	if err != nil {
		t.Fatalf("Enqueue(%+v): %v", a, err)
	}
	return res
}

// waitFor polls cond every 20 ms until it holds or the deadline passes.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitIdle waits until no job is queued, scheduled or running.
func waitIdle(t *testing.T, j *Jobs) {
	t.Helper()
	waitFor(t, "the queue to drain", 20*time.Second, func() bool {
		s, err := j.Stats(context.Background())
		if err != nil {
			t.Fatalf("Stats: %v", err)
		}
		return s["available"]+s["scheduled"]+s["retryable"]+s["running"]+s["pending"] == 0
	})
}

// run is one handler invocation.
type run struct {
	Kind       string
	Repo       string
	Verify     VerifyRepo
	Check      CheckPR
	Start, End time.Time
}

// recorder is a Handler that records runs and any overlap of two runs on
// one repository, and lets a test hook into each run.
type recorder struct {
	mu       sync.Mutex
	runs     []run
	active   map[string]int
	overlaps []string
	sweeps   []time.Time

	// Optional hooks; a nil hook succeeds at once.
	onVerify func(ctx context.Context, a VerifyRepo, n int) error
	onCheck  func(ctx context.Context, a CheckPR, n int) error
	// onRepos lists an installation's repositories for the sweep, whose
	// installations are onInstallations' (default: just 42).
	onInstallations func(ctx context.Context) ([]int64, error)
	onRepos         func(ctx context.Context, installationID int64) ([]VerifyRepo, error)
}

func newRecorder() *recorder { return &recorder{active: map[string]int{}} }

func (r *recorder) begin(kind, repo string) (int, time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.active[repo] > 0 {
		r.overlaps = append(r.overlaps, kind+" "+repo)
	}
	r.active[repo]++
	n := 0
	for _, x := range r.runs {
		if x.Repo == repo {
			n++
		}
	}
	return n, time.Now()
}

func (r *recorder) end(x run) {
	x.End = time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.active[x.Repo]--
	r.runs = append(r.runs, x)
}

func (r *recorder) VerifyRepo(ctx context.Context, a VerifyRepo) error {
	repo := a.Owner + "/" + a.Repo
	n, start := r.begin(KindVerifyRepo, repo)
	var err error
	if r.onVerify != nil {
		err = r.onVerify(ctx, a, n)
	}
	r.end(run{Kind: KindVerifyRepo, Repo: repo, Verify: a, Start: start})
	return err
}

func (r *recorder) CheckPR(ctx context.Context, a CheckPR) error {
	repo := a.Owner + "/" + a.Repo
	n, start := r.begin(KindCheckPR, repo)
	var err error
	if r.onCheck != nil {
		err = r.onCheck(ctx, a, n)
	}
	r.end(run{Kind: KindCheckPR, Repo: repo, Check: a, Start: start})
	return err
}

func (r *recorder) Installations(ctx context.Context) ([]int64, error) {
	r.mu.Lock()
	r.sweeps = append(r.sweeps, time.Now())
	r.mu.Unlock()
	if r.onInstallations != nil {
		return r.onInstallations(ctx)
	}
	return []int64{42}, nil
}

func (r *recorder) InstallationRepos(ctx context.Context, id int64) ([]VerifyRepo, error) {
	if r.onRepos != nil {
		return r.onRepos(ctx, id)
	}
	return nil, nil
}

// runsOf returns the finished runs on repo, in the order they ended.
func (r *recorder) runsOf(repo string) []run {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []run
	for _, x := range r.runs {
		if x.Repo == repo {
			out = append(out, x)
		}
	}
	return out
}

func (r *recorder) overlapped() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.overlaps...)
}

func (r *recorder) sweepTimes() []time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Time(nil), r.sweeps...)
}

func verifyArgs(repo, trigger string) VerifyRepo {
	return VerifyRepo{VerifyRequest: runner.VerifyRequest{InstallationID: 42, Owner: "acme", Repo: repo, Trigger: trigger}}
}
