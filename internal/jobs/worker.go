package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/rs/zerolog"
)

type verifyRepoWorker struct {
	river.WorkerDefaults[verifyRepoJob]
	j *Jobs
}

func (w *verifyRepoWorker) Work(ctx context.Context, job *river.Job[verifyRepoJob]) error {
	a := job.Args
	r := a.VerifyRequest
	log := w.j.repoLogger(job.JobRow, r.InstallationID, r.Owner, r.Repo, r.DeliveryID, r.Trigger).Logger()
	return w.j.runExclusive(log.WithContext(ctx), job.ID, r.InstallationID, a.VerifyRepo.repoKey(), a.Key, a.Gen, func(ctx context.Context) error {
		return w.j.opts.Handler.VerifyRepo(ctx, a.VerifyRepo)
	})
}

type checkPRWorker struct {
	river.WorkerDefaults[checkPRJob]
	j *Jobs
}

func (w *checkPRWorker) Work(ctx context.Context, job *river.Job[checkPRJob]) error {
	a := job.Args
	r := a.PRRequest
	log := w.j.repoLogger(job.JobRow, r.InstallationID, r.Owner, r.Repo, r.DeliveryID, r.Trigger).
		Int(githubapp.LogKeyPRNum, r.Number).Str("head_sha", r.HeadSHA).Logger()
	return w.j.runExclusive(log.WithContext(ctx), job.ID, r.InstallationID, a.CheckPR.repoKey(), a.Key, a.Gen, func(ctx context.Context) error {
		return w.j.opts.Handler.CheckPR(ctx, a.CheckPR)
	})
}

// LogKeyJobID is the log key of a job's River id, beside go-githubapp's
// githubapp.LogKey* keys.
const LogKeyJobID = "job_id"

func (j *Jobs) jobLogger(row *rivertype.JobRow) zerolog.Context {
	return j.log.With().Int64(LogKeyJobID, row.ID).Str("job_kind", row.Kind).Int("attempt", row.Attempt)
}

// repoLogger is the logger of a repository job. The job worker is where
// the work enters, so the installation, repository and delivery are added
// here, once, with go-githubapp's keys; the code the job runs takes the
// logger from its context and adds none of them again.
func (j *Jobs) repoLogger(row *rivertype.JobRow, installationID int64, owner, repo, deliveryID, trigger string) zerolog.Context {
	l := j.jobLogger(row).Int64(githubapp.LogKeyInstallationID, installationID).
		Str(githubapp.LogKeyRepositoryOwner, owner).Str(githubapp.LogKeyRepositoryName, repo).Str("trigger", trigger)
	if deliveryID != "" {
		l = l.Str(githubapp.LogKeyDeliveryID, deliveryID)
	}
	return l
}

// runExclusive runs work within its installation's share of workers and
// holding repo's lease, after advancing key's generation so that events
// from now on queue one follow-up job.
func (j *Jobs) runExclusive(ctx context.Context, jobID, installationID int64, repo, key string, gen int64, work func(context.Context) error) error {
	return j.runTimed(ctx, jobID, func(ctx context.Context) error {
		return j.runLeased(ctx, installationID, repo, key, gen, work)
	})
}

func (j *Jobs) runLeased(ctx context.Context, installationID int64, repo, key string, gen int64, work func(context.Context) error) error {
	log := zerolog.Ctx(ctx)
	slot, ok, err := j.takeShare(ctx, installationID)
	if err != nil {
		return err
	}
	if !ok {
		return river.JobSnooze(j.shareRetry())
	}
	if slot != nil {
		defer slot.release(ctx)
		var stopSlot func()
		ctx, stopSlot = slot.keep(ctx)
		defer stopSlot()
	}
	l, ok, err := j.acquire(ctx, repo)
	if err != nil {
		return err
	}
	if !ok {
		log.Debug().Dur("retry_in", j.opts.LockRetry).Msg("repository busy; job waits")
		return river.JobSnooze(j.opts.LockRetry)
	}
	defer l.release(ctx)

	// Only the job for the current generation advances it: a retry of an
	// older one must not make a second follow-up possible.
	if _, err := j.be.db().exec(ctx,
		`UPDATE pindrift_job_generations SET gen = gen + 1 WHERE key = ? AND gen = ?`, key, gen); err != nil {
		return fmt.Errorf("advance generation of %s: %w", key, err)
	}

	wctx, stop := l.keep(ctx)
	start := time.Now()
	err = work(wctx)
	stop()
	if err == nil && errors.Is(context.Cause(wctx), errLeaseLost) {
		// The handler finished but may have overlapped another holder;
		// say so rather than count it a clean run.
		log.Warn().Msg("job finished after losing its repository lease")
	}
	return j.result(ctx, err, start)
}

// result logs a job's outcome and turns it into what River expects.
func (j *Jobs) result(ctx context.Context, err error, start time.Time) error {
	log := zerolog.Ctx(ctx)
	took := time.Since(start)
	if err == nil {
		log.Info().Dur("took", took).Msg("job done")
		return nil
	}
	if ra, ok := asRetryAfter(err); ok {
		wait := max(time.Until(ra.At), 0)
		log.Info().Err(err).Dur("took", took).Time("retry_at", ra.At).Msg("job postponed")
		return river.JobSnooze(wait)
	}
	var cancel *rivertype.JobCancelError
	if errors.As(err, &cancel) {
		// Permanent: retrying cannot help (a suspended or deleted
		// installation, an invalid configuration); say so once.
		log.Warn().Err(err).Dur("took", took).Msg("job ended without retry: the error is permanent")
		return err
	}
	log.Warn().Err(err).Dur("took", took).Msg("job failed")
	return err
}
