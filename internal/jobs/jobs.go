package jobs

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/rs/zerolog"
)

// Defaults for Options fields left zero.
const (
	DefaultWorkers      = 4
	DefaultLockTTL      = time.Minute
	DefaultLockRetry    = 3 * time.Second
	DefaultPollInterval = time.Second
	DefaultJobTimeout   = 30 * time.Minute
	DefaultMaxAttempts  = 20
	// DefaultSweepSpread is the window a sweep's repository runs are
	// spread over.
	DefaultSweepSpread = 30 * time.Minute
	// DefaultRescueAfter is how long a running job may go without a
	// heartbeat before it counts as abandoned by a dead process and runs
	// again (see the package doc).
	DefaultRescueAfter = time.Minute
	// MinRescueAfter leaves a heartbeat (every third of it) time to land.
	MinRescueAfter = time.Second
)

// Handler does the work of each job kind. A returned error is retried with
// River's backoff, except a RetryAfter error, which waits until its time
// without using up an attempt.
type Handler interface {
	VerifyRepo(ctx context.Context, a VerifyRepo) error
	CheckPR(ctx context.Context, a CheckPR) error
	// Installations lists the installations a sweep covers. An error
	// retries the sweep; one installation's trouble belongs in its own job.
	Installations(ctx context.Context) ([]int64, error)
	// InstallationRepos lists the repositories of one installation that a
	// sweep verifies (Owner and Repo set). A Permanent error (the
	// installation is suspended or gone) ends that installation's sweep
	// job without touching the others'.
	InstallationRepos(ctx context.Context, installationID int64) ([]VerifyRepo, error)
}

// Options configure Open. Zero values take the Default* constants.
type Options struct {
	// Handler is required to Start; a Jobs that only enqueues may omit it.
	Handler Handler
	// Workers is how many jobs this process runs at once.
	Workers int
	// SweepSchedule is a cron expression in UTC ("17 3 * * *", or
	// descriptors such as "@every 1h"); empty disables the sweep.
	SweepSchedule string
	// SweepSpread is the window after each sweep tick over which its
	// repository runs are scheduled; negative starts them all at once.
	SweepSpread time.Duration
	// RescueAfter is how long a running job may go without its heartbeat
	// (renewed every third of it) before it is run again; with River's
	// 30 s rescuer period it bounds how long a crash delays a job. A
	// rescued job whose repository lease the dead process still holds
	// waits for the lease to expire (LockTTL).
	RescueAfter time.Duration
	// InstallationShare is how many jobs of one installation may run at
	// once across all processes; 0 means max(1, Workers/2), so one
	// installation with a long queue leaves workers for the others.
	InstallationShare int
	// Schema is the PostgreSQL schema for River's and pindrift's tables,
	// created if missing; empty uses the connection's search_path.
	// Ignored for SQLite.
	Schema string
	// LockTTL is how long a repository lease lasts without renewal: how
	// long a crashed job keeps its repository locked.
	LockTTL time.Duration
	// LockRetry is how long a job waits before trying a locked repository
	// again.
	LockRetry time.Duration
	// PollInterval bounds how long an available job waits to be fetched
	// when no notification wakes the workers.
	PollInterval time.Duration
	// JobTimeout cancels a handler running longer than this.
	JobTimeout time.Duration
	// MaxAttempts is how many failed attempts discard a job.
	MaxAttempts int
	// RetryBackoff gives the wait before retry number attempt; nil uses
	// River's default (attempt⁴ seconds with jitter).
	RetryBackoff func(attempt int) time.Duration
}

func (o *Options) setDefaults() error {
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	if o.LockTTL == 0 {
		o.LockTTL = DefaultLockTTL
	}
	if o.LockRetry == 0 {
		o.LockRetry = DefaultLockRetry
	}
	if o.PollInterval == 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.JobTimeout == 0 {
		o.JobTimeout = DefaultJobTimeout
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.SweepSpread == 0 {
		o.SweepSpread = DefaultSweepSpread
	}
	if o.RescueAfter == 0 {
		o.RescueAfter = DefaultRescueAfter
	}
	if o.InstallationShare == 0 {
		o.InstallationShare = max(1, o.Workers/2)
	}
	switch {
	case o.Workers < 0, o.MaxAttempts < 0, o.LockRetry < 0, o.PollInterval < 0, o.JobTimeout < 0:
		return errors.New("jobs options: negative value")
	case o.LockTTL < 30*time.Millisecond:
		return fmt.Errorf("jobs options: lock TTL %s is too short to renew", o.LockTTL)
	case o.RescueAfter < MinRescueAfter:
		return fmt.Errorf("jobs options: rescue after %s is shorter than %s: heartbeats could not keep up", o.RescueAfter, MinRescueAfter)
	case o.InstallationShare < 0:
		return errors.New("jobs options: negative installation share")
	}
	return nil
}

// Jobs is the durable job queue of one process.
type Jobs struct {
	opts        Options
	be          backend
	dialect     dialect
	cache       *AssetCache
	discoveries *Discoveries

	// log is the base of every job's logger, taken from Start's context
	// (River's job contexts do not carry it).
	log zerolog.Logger

	mu      sync.Mutex
	started bool
	stopped bool
}

// Open connects to url (sqlite://PATH, sqlite:///abs/path, postgres://...
// or postgresql://...), brings River's and pindrift's tables up to date and
// returns a Jobs ready to Enqueue. Workers run only after Start. Logs go to
// the zerolog logger in ctx.
func Open(ctx context.Context, url string, opts Options) (*Jobs, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, err
	}
	d, target, err := parseURL(url)
	if err != nil {
		return nil, err
	}
	j := &Jobs{opts: opts, dialect: d, log: *zerolog.Ctx(ctx)}
	cfg, err := j.riverConfig()
	if err != nil {
		return nil, err
	}
	switch d {
	case dialectSQLite:
		db, err := openSQLite(ctx, target)
		if err != nil {
			return nil, err
		}
		cfg.Schema = ""
		b, err := newSQLiteBackend(ctx, db, cfg)
		if err != nil {
			_ = db.Close() // the migration error is the one to report
			return nil, fmt.Errorf("open %s: %w", url, err)
		}
		j.be = b
	case dialectPostgres:
		pool, err := openPostgres(ctx, target, opts.Schema)
		if err != nil {
			return nil, err
		}
		b, err := newPostgresBackend(ctx, pool, opts.Schema, cfg)
		if err != nil {
			pool.Close()
			return nil, fmt.Errorf("open %s: %w", redact(url), err)
		}
		j.be = b
	}
	j.cache = &AssetCache{q: j.be.db()}
	j.discoveries = &Discoveries{q: j.be.db()}
	return j, nil
}

// riverConfig is the client configuration shared by both drivers.
func (j *Jobs) riverConfig() (*river.Config, error) {
	o := j.opts
	workers := river.NewWorkers()
	for _, add := range []func() error{
		func() error { return river.AddWorkerSafely(workers, &verifyRepoWorker{j: j}) },
		func() error { return river.AddWorkerSafely(workers, &checkPRWorker{j: j}) },
		func() error { return river.AddWorkerSafely(workers, &sweepWorker{j: j}) },
		func() error { return river.AddWorkerSafely(workers, &sweepInstallationWorker{j: j}) },
	} {
		if err := add(); err != nil {
			return nil, fmt.Errorf("register worker: %w", err)
		}
	}
	var periodic []*river.PeriodicJob
	if o.SweepSchedule != "" {
		sched, err := parseSchedule(o.SweepSchedule)
		if err != nil {
			return nil, err
		}
		periodic = append(periodic, river.NewPeriodicJob(sched, func() (river.JobArgs, *river.InsertOpts) {
			return sweepJob{Tick: time.Now().UTC().Truncate(time.Second)}, nil
		}, &river.PeriodicJobOpts{ID: "pindrift-sweep"}))
	}
	cfg := &river.Config{
		Logger:       newSlogLogger(j.log),
		Queues:       map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.Workers}},
		Workers:      workers,
		PeriodicJobs: periodic,
		// River's own timeout is the rescue horizon, which it requires to
		// be at least the timeout: jobs run under Options.JobTimeout
		// instead (see runTimed), and their heartbeat keeps River from
		// rescuing them while they live.
		JobTimeout:        o.RescueAfter,
		MaxAttempts:       o.MaxAttempts,
		FetchPollInterval: o.PollInterval,
		FetchCooldown:     min(o.PollInterval, 100*time.Millisecond),
		Schema:            o.Schema,
		// River rescues a job left running by a crashed process once its
		// attempted_at, which the heartbeat advances, is this old.
		RescueStuckJobsAfter: o.RescueAfter,
	}
	if o.RetryBackoff != nil {
		cfg.RetryPolicy = backoffPolicy(o.RetryBackoff)
	}
	return cfg, nil
}

// backoffPolicy adapts Options.RetryBackoff to River.
type backoffPolicy func(attempt int) time.Duration

func (f backoffPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(f(job.Attempt))
}

// Start runs workers (and, on the elected leader, the sweep) until Stop.
// Job logs derive from the zerolog logger in ctx.
func (j *Jobs) Start(ctx context.Context) error {
	if j.opts.Handler == nil {
		return errors.New("start jobs: no Handler")
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.started {
		return errors.New("start jobs: already started")
	}
	j.log = *zerolog.Ctx(ctx)
	if err := j.be.start(ctx); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	j.started = true
	return nil
}

// Stop stops fetching jobs and waits for running ones to finish. When ctx
// ends first, running jobs are cancelled and River puts them back in the
// queue without counting the attempt; their repository leases are
// released.
func (j *Jobs) Stop(ctx context.Context) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.started || j.stopped {
		return nil
	}
	j.stopped = true
	err := j.be.stop(ctx)
	if err == nil || ctx.Err() == nil {
		return err
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := j.be.stopAndCancel(cctx); err != nil {
		return fmt.Errorf("stop jobs: %w", err)
	}
	return nil
}

// Close stops workers still running, cancelling their jobs (which go back
// to the queue), and closes the database.
func (j *Jobs) Close() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // no grace: Close is for after Stop, or for giving up
	err := j.Stop(ctx)
	j.be.close()
	return err
}

// Enqueued is the outcome of Enqueue.
type Enqueued struct {
	JobID int64
	// Duplicate reports that a job not yet started already covers this
	// request, so nothing new was queued.
	Duplicate bool
}

// Enqueue queues a job and returns once it is committed. A VerifyRepo or
// CheckPR while an equal one waits coalesces into it (Duplicate); one
// arriving while an equal one runs queues exactly one follow-up.
func (j *Jobs) Enqueue(ctx context.Context, a Args) (Enqueued, error) {
	return j.enqueueAt(ctx, a, time.Time{})
}

// enqueueAt is Enqueue for a job that should not start before at (zero:
// now).
func (j *Jobs) enqueueAt(ctx context.Context, a Args, at time.Time) (Enqueued, error) {
	if err := a.validate(); err != nil {
		return Enqueued{}, fmt.Errorf("enqueue: %w", err)
	}
	key := a.coalesceKey()
	var res *rivertype.JobInsertResult
	err := j.be.inTx(ctx, func(ctx context.Context, q querier, insert insertFunc) error {
		// The upsert locks the key's row until commit, so a job advancing
		// the generation waits for this insert to be visible (PostgreSQL);
		// SQLite transactions are serial anyway.
		var gen int64
		if err := q.queryRow(ctx, `
			INSERT INTO pindrift_job_generations (key, gen) VALUES (?, 0)
			ON CONFLICT (key) DO UPDATE SET gen = pindrift_job_generations.gen
			RETURNING gen`, key).Scan(&gen); err != nil {
			return fmt.Errorf("generation of %s: %w", key, err)
		}
		var opts *river.InsertOpts
		if !at.IsZero() {
			opts = &river.InsertOpts{ScheduledAt: at}
		}
		r, err := insert(ctx, a.riverArgs(gen), opts)
		if err != nil {
			return fmt.Errorf("insert job: %w", err)
		}
		res = r
		return nil
	})
	if err != nil {
		return Enqueued{}, fmt.Errorf("enqueue %s: %w", key, err)
	}
	zerolog.Ctx(ctx).Debug().Int64(LogKeyJobID, res.Job.ID).Str("job_kind", res.Job.Kind).
		Bool("duplicate", res.UniqueSkippedAsDuplicate).Str("key", key).Msg("job enqueued")
	return Enqueued{JobID: res.Job.ID, Duplicate: res.UniqueSkippedAsDuplicate}, nil
}

// Cache is the verified-asset cache kept in the job database.
func (j *Jobs) Cache() *AssetCache { return j.cache }

// Discoveries is the record of each repository's last discovery, kept in
// the job database.
func (j *Jobs) Discoveries() *Discoveries { return j.discoveries }
