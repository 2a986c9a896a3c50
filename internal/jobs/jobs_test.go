package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/runner"
)

func TestEnqueueRunsHandlerWithArgs(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		rec := newRecorder()
		j := openJobs(t, db, fastOptions(rec))
		startJobs(t, j)

		want := VerifyRepo{VerifyRequest: runner.VerifyRequest{InstallationID: 7, Owner: "Acme", Repo: "MicroVM", Trigger: "push 1a2b3c4 to main",
			DeliveryID: "d-1", PushSHA: "1a2b3c4", Paths: []string{"images/published.py"}, RequireWrite: "octocat"}}
		if res := enqueue(t, j, want); res.Duplicate || res.JobID == 0 {
			t.Fatalf("Enqueue = %+v, want a new job", res)
		}
		pr := CheckPR{PRRequest: runner.PRRequest{InstallationID: 7, Owner: "acme", Repo: "microvm", Number: 12, HeadSHA: "abc123", Trigger: "opened", DeliveryID: "d-2"}}
		enqueue(t, j, pr)

		waitFor(t, "both runs", 15*time.Second, func() bool { return len(rec.runsOf("acme/microvm"))+len(rec.runsOf("Acme/MicroVM")) == 2 })
		waitIdle(t, j)
		got := rec.runsOf("Acme/MicroVM")
		if len(got) != 1 {
			t.Fatalf("VerifyRepo runs = %d, want 1", len(got))
		}
		if diff := cmp.Diff(want, got[0].Verify); diff != "" {
			t.Errorf("VerifyRepo args (-want +got):\n%s", diff)
		}
		gotPR := rec.runsOf("acme/microvm")
		if len(gotPR) != 1 {
			t.Fatalf("CheckPR runs = %d, want 1", len(gotPR))
		}
		if diff := cmp.Diff(pr, gotPR[0].Check); diff != "" {
			t.Errorf("CheckPR args (-want +got):\n%s", diff)
		}
	})
}

func TestConcurrentEventsWhileIdleRunOnce(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		rec := newRecorder()
		j := openJobs(t, db, fastOptions(rec))

		// Workers not started yet: the repository is idle, nothing runs.
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			fresh int
			ids   = map[int64]bool{}
		)
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := j.Enqueue(testContext(t), verifyArgs("idle", fmt.Sprintf("push %d", i)))
				if err != nil {
					t.Errorf("Enqueue: %v", err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				ids[res.JobID] = true
				if !res.Duplicate {
					fresh++
				}
			}()
		}
		wg.Wait()
		if fresh != 1 || len(ids) != 1 {
			t.Fatalf("20 concurrent Enqueues: %d new jobs, %d job ids; want 1 and 1", fresh, len(ids))
		}

		startJobs(t, j)
		waitFor(t, "the run", 15*time.Second, func() bool { return len(rec.runsOf("acme/idle")) >= 1 })
		waitIdle(t, j)
		if n := len(rec.runsOf("acme/idle")); n != 1 {
			t.Errorf("runs = %d, want 1", n)
		}
	})
}

func TestWhatCoalesces(t *testing.T) {
	t.Parallel()
	base := verifyArgs("repo", "release")
	withSHA := func(sha string) VerifyRepo { a := base; a.PushSHA = sha; return a }
	pr := CheckPR{PRRequest: runner.PRRequest{InstallationID: 42, Owner: "acme", Repo: "repo", Number: 5, HeadSHA: "aaa"}}
	tests := []struct {
		name        string
		first, then Args
		duplicate   bool
	}{
		{"same repository, other trigger", base, verifyArgs("repo", "sweep"), true},
		{"names differ only in case", base, VerifyRepo{VerifyRequest: runner.VerifyRequest{InstallationID: 42, Owner: "ACME", Repo: "Repo"}}, true},
		{"other repository", base, verifyArgs("other", "release"), false},
		{"same pushed commit", withSHA("abc"), withSHA("ABC"), true},
		{"other pushed commit", withSHA("abc"), withSHA("def"), false},
		{"push and release", withSHA("abc"), base, false},
		{"recheck by a user and an event", VerifyRepo{VerifyRequest: runner.VerifyRequest{InstallationID: 42, Owner: "acme", Repo: "repo", RequireWrite: "mallory"}}, base, false},
		{"recheck and onboard by the same user", VerifyRepo{VerifyRequest: runner.VerifyRequest{InstallationID: 42, Owner: "acme", Repo: "repo", RequireWrite: "mallory"}},
			VerifyRepo{VerifyRequest: runner.VerifyRequest{InstallationID: 42, Owner: "acme", Repo: "repo", RequireWrite: "mallory", Issue: 3, Onboard: true}}, false},
		{"same pull request head", pr, CheckPR{PRRequest: runner.PRRequest{InstallationID: 42, Owner: "acme", Repo: "repo", Number: 5, HeadSHA: "aaa", Trigger: "reopened"}}, true},
		{"new pull request head", pr, CheckPR{PRRequest: runner.PRRequest{InstallationID: 42, Owner: "acme", Repo: "repo", Number: 5, HeadSHA: "bbb"}}, false},
		{"pull request and repository", pr, base, false},
	}
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				// A database per case: the first job must be the only one.
				db := db
				if db.schema != "" {
					db.schema = freshSchema(t, db.url)
				} else {
					db.url = "sqlite://" + t.TempDir() + "/jobs.db"
				}
				j := openJobs(t, db, Options{})
				enqueue(t, j, tc.first)
				if got := enqueue(t, j, tc.then).Duplicate; got != tc.duplicate {
					t.Errorf("second Enqueue duplicate = %v, want %v", got, tc.duplicate)
				}
			})
		}
	})
}

func TestEventDuringRunQueuesExactlyOneMore(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		rec := newRecorder()
		started := make(chan struct{})
		release := make(chan struct{})
		rec.onVerify = func(ctx context.Context, _ VerifyRepo, n int) error {
			if n > 0 {
				return nil
			}
			close(started)
			select {
			case <-release:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		j := openJobs(t, db, fastOptions(rec))
		startJobs(t, j)

		enqueue(t, j, verifyArgs("busy", "release edited"))
		select {
		case <-started:
		case <-time.After(15 * time.Second):
			t.Fatal("first run did not start")
		}

		// Events arriving while the first run is in progress: one
		// follow-up job, the rest coalesce into it.
		var fresh int
		for i := range 10 {
			if !enqueue(t, j, verifyArgs("busy", fmt.Sprintf("push %d", i))).Duplicate {
				fresh++
			}
		}
		if fresh != 1 {
			t.Errorf("events during a run queued %d jobs, want 1", fresh)
		}
		// The follow-up is queued beside the running job; with idle
		// workers and a 50 ms poll it is fetched and must wait for the
		// repository lock rather than run.
		waitFor(t, "the follow-up to be queued behind the running job", 10*time.Second, func() bool {
			s, err := j.Stats(context.Background())
			return err == nil && s["available"]+s["scheduled"]+s["running"] >= 2
		})
		close(release)

		waitFor(t, "two runs", 15*time.Second, func() bool { return len(rec.runsOf("acme/busy")) >= 2 })
		waitIdle(t, j)
		runs := rec.runsOf("acme/busy")
		if len(runs) != 2 {
			t.Fatalf("runs = %d, want 2 (the first and exactly one more)", len(runs))
		}
		if runs[1].Start.Before(runs[0].End) {
			t.Errorf("follow-up started %s before the first run ended %s", runs[1].Start, runs[0].End)
		}
		if got := runs[1].Verify.Trigger; got != "push 0" {
			t.Errorf("follow-up trigger = %q, want the first event after the run started, %q", got, "push 0")
		}
		if o := rec.overlapped(); len(o) > 0 {
			t.Errorf("overlapping runs: %v", o)
		}
	})
}

func TestDifferentReposRunInParallel(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		rec := newRecorder()
		var both sync.WaitGroup
		both.Add(2)
		allIn := make(chan struct{})
		go func() { both.Wait(); close(allIn) }()
		rec.onVerify = func(ctx context.Context, _ VerifyRepo, _ int) error {
			both.Done()
			// Each run waits for the other to have started: only parallel
			// runs get past this.
			select {
			case <-allIn:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(15 * time.Second):
				return errors.New("the other repository's run never started")
			}
		}
		j := openJobs(t, db, fastOptions(rec))
		startJobs(t, j)
		enqueue(t, j, verifyArgs("one", "push"))
		enqueue(t, j, verifyArgs("two", "push"))
		select {
		case <-allIn:
		case <-time.After(15 * time.Second):
			t.Fatal("two repositories' jobs did not run at the same time")
		}
		waitIdle(t, j)
	})
}

func TestHandlerErrorIsRetried(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		rec := newRecorder()
		rec.onVerify = func(_ context.Context, _ VerifyRepo, n int) error {
			if n < 2 {
				return errors.New("GitHub said 502")
			}
			return nil
		}
		j := openJobs(t, db, fastOptions(rec))
		startJobs(t, j)
		enqueue(t, j, verifyArgs("flaky", "push"))
		waitFor(t, "three attempts", 15*time.Second, func() bool { return len(rec.runsOf("acme/flaky")) >= 3 })
		waitIdle(t, j)
		if n := len(rec.runsOf("acme/flaky")); n != 3 {
			t.Errorf("runs = %d, want 3 (two failures, one success)", n)
		}
	})
}

func TestRetryAfterPostponesWithoutUsingAttempts(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		rec := newRecorder()
		var (
			mu      sync.Mutex
			resetAt time.Time
		)
		rec.onVerify = func(_ context.Context, _ VerifyRepo, n int) error {
			if n == 0 {
				mu.Lock()
				defer mu.Unlock()
				resetAt = time.Now().Add(400 * time.Millisecond)
				return RetryAfter(resetAt, errors.New("rate limited"))
			}
			return nil
		}
		opts := fastOptions(rec)
		// One attempt only: a postponement that used one would discard
		// the job instead of running it again.
		opts.MaxAttempts = 1
		j := openJobs(t, db, opts)
		startJobs(t, j)
		enqueue(t, j, verifyArgs("limited", "push"))
		waitFor(t, "the postponed run", 15*time.Second, func() bool { return len(rec.runsOf("acme/limited")) >= 2 })
		waitIdle(t, j)
		runs := rec.runsOf("acme/limited")
		if len(runs) != 2 {
			t.Fatalf("runs = %d, want 2", len(runs))
		}
		mu.Lock()
		defer mu.Unlock()
		if runs[1].Start.Before(resetAt) {
			t.Errorf("postponed run started at %s, before the retry time %s", runs[1].Start, resetAt)
		}
	})
}

func TestQueuedJobsSurviveRestart(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		// A process that acknowledges events and dies before working them.
		first, err := Open(testContext(t), db.url, Options{Schema: db.schema})
		if err != nil {
			t.Fatal(err)
		}
		enqueue(t, first, verifyArgs("durable", "release"))
		enqueue(t, first, CheckPR{PRRequest: runner.PRRequest{InstallationID: 42, Owner: "acme", Repo: "durable", Number: 3, HeadSHA: "f00"}})
		if err := first.Close(); err != nil {
			t.Fatal(err)
		}

		rec := newRecorder()
		second := openJobs(t, db, fastOptions(rec))
		startJobs(t, second)
		waitFor(t, "both jobs after the restart", 15*time.Second, func() bool { return len(rec.runsOf("acme/durable")) >= 2 })
		waitIdle(t, second)
		if n := len(rec.runsOf("acme/durable")); n != 2 {
			t.Errorf("runs = %d, want 2", n)
		}
	})
}

func TestJobInterruptedByStopRunsAfterRestart(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		started := make(chan struct{})
		first := newRecorder()
		first.onVerify = func(ctx context.Context, _ VerifyRepo, _ int) error {
			close(started)
			<-ctx.Done() // a long verification, cut short by shutdown
			return ctx.Err()
		}
		opts := fastOptions(first)
		opts.LockTTL = time.Minute // only a released lease lets the restart run promptly
		j, err := Open(testContext(t), db.url, func() Options { o := opts; o.Schema = db.schema; return o }())
		if err != nil {
			t.Fatal(err)
		}
		if err := j.Start(testContext(t)); err != nil {
			t.Fatal(err)
		}
		enqueue(t, j, verifyArgs("interrupted", "push"))
		select {
		case <-started:
		case <-time.After(15 * time.Second):
			t.Fatal("run did not start")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		if err := j.Stop(ctx); err != nil {
			t.Fatalf("Stop: %v", err)
		}
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}

		second := newRecorder()
		opts.Handler = second
		k := openJobs(t, db, opts)
		startJobs(t, k)
		waitFor(t, "the interrupted job to run again", 15*time.Second, func() bool { return len(second.runsOf("acme/interrupted")) == 1 })
		waitIdle(t, k)
	})
}

func TestOpenRejectsBadInput(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		url      string
		schedule string
		wantErr  string
	}{
		"no scheme":     {url: "/var/lib/pindrift.db", wantErr: "want sqlite://PATH"},
		"mysql":         {url: "mysql://root@localhost/db", wantErr: "want sqlite://PATH"},
		"empty sqlite":  {url: "sqlite://", wantErr: "empty SQLite path"},
		"memory":        {url: "sqlite://:memory:", wantErr: "to a file"},
		"sqlite query":  {url: "sqlite://x.db?mode=ro", wantErr: "without ? or #"},
		"bad cron":      {url: "sqlite://$TMP/j.db", schedule: "every night", wantErr: `sweep schedule "every night"`},
		"postgres down": {url: "postgres://nobody:secret@127.0.0.1:1/none?connect_timeout=1", wantErr: "open postgres"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := strings.ReplaceAll(tc.url, "$TMP", t.TempDir())
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			j, err := Open(ctx, url, Options{SweepSchedule: tc.schedule})
			if err == nil {
				_ = j.Close()
				t.Fatalf("Open(%q) succeeded, want an error", url)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Open(%q) = %v, want an error containing %q", url, err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("Open(%q) error shows the password: %v", url, err)
			}
		})
	}
}

func TestParseURL(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		url    string
		want   dialect
		target string
	}{
		"relative":   {"sqlite://pindrift.db", dialectSQLite, "pindrift.db"},
		"absolute":   {"sqlite:///var/lib/pindrift.db", dialectSQLite, "/var/lib/pindrift.db"},
		"short":      {"sqlite:pindrift.db", dialectSQLite, "pindrift.db"},
		"postgres":   {"postgres://u@h/db", dialectPostgres, "postgres://u@h/db"},
		"postgresql": {"postgresql://u@h/db", dialectPostgres, "postgresql://u@h/db"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			d, target, err := parseURL(tc.url)
			if err != nil || d != tc.want || target != tc.target {
				t.Errorf("parseURL(%q) = %v, %q, %v; want %v, %q", tc.url, d, target, err, tc.want, tc.target)
			}
		})
	}
}
