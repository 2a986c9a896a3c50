package jobs

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// crashOptions are short timings for crash tests: a job without a
// heartbeat for 3 s counts as abandoned.
func crashOptions(h Handler) Options {
	o := fastOptions(h)
	o.LockTTL = time.Second
	o.RescueAfter = 3 * time.Second
	return o
}

// TestCrashHelper is the process the crash test kills: it runs one job
// whose handler marks that it started and then blocks.
func TestCrashHelper(t *testing.T) {
	spec := os.Getenv("PINDRIFT_CRASH_HELPER")
	if spec == "" {
		t.Skip("only run by TestKilledJobRunsAgain")
	}
	var db testDatabase
	var marker string
	if err := json.Unmarshal([]byte(spec), &struct {
		URL, Schema, Marker *string
	}{&db.url, &db.schema, &marker}); err != nil {
		t.Fatal(err)
	}
	rec := newRecorder()
	rec.onVerify = func(ctx context.Context, _ VerifyRepo, _ int) error {
		if err := os.WriteFile(marker, nil, 0o600); err != nil {
			t.Error(err)
		}
		<-ctx.Done() // the parent kills this process mid-job
		return ctx.Err()
	}
	j := openJobs(t, db, crashOptions(rec))
	startJobs(t, j)
	enqueue(t, j, verifyArgs("crashy", "push"))
	time.Sleep(time.Minute)
	t.Error("not killed")
}

// A job whose process is killed mid-run runs again, once, soon after new
// processes start (within RescueAfter, the rescuer's period and the
// retry backoff; under 2 minutes with the defaults), and River records
// the rescue.
func TestKilledJobRunsAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills a child process, then waits for River's rescuer")
	}
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		marker := filepath.Join(t.TempDir(), "started")
		spec, _ := json.Marshal(map[string]string{"URL": db.url, "Schema": db.schema, "Marker": marker})
		child := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
		child.Env = append(os.Environ(), "PINDRIFT_CRASH_HELPER="+string(spec))
		child.Stderr = os.Stderr
		if err := child.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = child.Process.Kill(); _ = child.Wait() })
		waitFor(t, "the child to start the job", 30*time.Second, func() bool {
			_, err := os.Stat(marker)
			return err == nil
		})
		if err := child.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = child.Wait()
		killed := time.Now()

		// Two replicas take over: the job runs again once, on one of them.
		rec := newRecorder()
		j := openJobs(t, db, crashOptions(rec))
		j2 := openJobs(t, db, crashOptions(rec))
		startJobs(t, j)
		startJobs(t, j2)
		waitFor(t, "the killed job to run again", 2*time.Minute, func() bool { return len(rec.runsOf("acme/crashy")) == 1 })
		waitIdle(t, j)
		if n := len(rec.runsOf("acme/crashy")); n != 1 {
			t.Errorf("the killed job ran %d times on the new replicas, want once", n)
		}
		if o := rec.overlapped(); len(o) > 0 {
			t.Errorf("runs overlapped: %v", o)
		}

		var attempt int
		var errs string
		if err := j.be.db().queryRow(context.Background(),
			`SELECT attempt, COALESCE(CAST(errors AS TEXT), '') FROM river_job WHERE kind = ?`, KindVerifyRepo).Scan(&attempt, &errs); err != nil {
			t.Fatal(err)
		}
		if attempt != 2 || !strings.Contains(errs, "Stuck job rescued") {
			t.Errorf("job attempt %d, errors %s; want attempt 2 after a rescue", attempt, errs)
		}
		run := rec.runsOf("acme/crashy")[0]
		t.Logf("ran again %s after the kill", run.Start.Sub(killed).Round(time.Second))
		if wait := run.Start.Sub(killed); wait > 2*time.Minute {
			t.Errorf("the killed job ran again %s after the kill, want within 2 minutes", wait)
		}
	})
}

// A job that runs longer than RescueAfter on a live replica is neither
// rescued nor run twice: its heartbeat keeps River's rescuer away.
func TestLongJobOnLiveReplicaIsNotRescued(t *testing.T) {
	if testing.Short() {
		t.Skip("outlives River's 30 s rescuer period")
	}
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		rec := newRecorder()
		rec.onVerify = func(ctx context.Context, _ VerifyRepo, n int) error {
			if n > 0 {
				return nil
			}
			// Longer than River's rescuer period (30 s) plus RescueAfter,
			// so a rescuer run sees the job while it runs.
			select {
			case <-time.After(36 * time.Second):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		a := openJobs(t, db, crashOptions(rec))
		b := openJobs(t, db, crashOptions(rec))
		startJobs(t, a)
		startJobs(t, b)
		enqueue(t, a, verifyArgs("long", "push"))
		waitFor(t, "the long job to finish", 90*time.Second, func() bool { return len(rec.runsOf("acme/long")) >= 1 })
		waitIdle(t, a)

		if o := rec.overlapped(); len(o) > 0 {
			t.Errorf("runs overlapped: %v", o)
		}
		if n := len(rec.runsOf("acme/long")); n != 1 {
			t.Errorf("the long job ran %d times, want once", n)
		}
		var errs string
		if err := a.be.db().queryRow(context.Background(),
			`SELECT COALESCE(CAST(errors AS TEXT), '') FROM river_job WHERE kind = ?`, KindVerifyRepo).Scan(&errs); err != nil && !isNoRows(err) {
			t.Fatal(err)
		}
		if strings.Contains(errs, "rescued") {
			t.Errorf("the live job was rescued: %s", errs)
		}
	})
}
