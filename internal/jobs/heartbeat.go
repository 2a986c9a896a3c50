package jobs

import (
	"context"
	"errors"

	"github.com/rs/zerolog"
)

// runTimed runs fn under Options.JobTimeout rather than River's own
// timeout, and keeps the job's heartbeat while it runs.
//
// River's timeout is set to the rescue horizon (River requires it to be
// no longer), which is far shorter than a long download may take; so fn
// gets a context that ignores River's deadline but still ends when River
// cancels the job (a stop, or a cancel from outside).
func (j *Jobs) runTimed(ctx context.Context, jobID int64, fn func(context.Context) error) error {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), j.opts.JobTimeout)
	defer cancel()
	stopWatch := context.AfterFunc(ctx, func() {
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			cancel()
		}
	})
	defer stopWatch()
	stopBeat := j.heartbeat(wctx, jobID)
	defer stopBeat()
	return fn(wctx)
}

// heartbeat advances the running job's attempted_at every third of the
// rescue horizon, so River's rescuer, which reruns jobs attempted longer
// ago than RescueAfter, leaves a live job alone while a job whose process
// died is rescued within RescueAfter plus the rescuer's period.
func (j *Jobs) heartbeat(ctx context.Context, jobID int64) (stop func()) {
	query := `UPDATE river_job SET attempted_at = now() WHERE id = ? AND state = 'running'`
	if j.dialect == dialectSQLite {
		// River's SQLite driver writes times in this form; the rescuer
		// compares them as text.
		query = `UPDATE river_job SET attempted_at = datetime('now', 'subsec') WHERE id = ? AND state = 'running'`
	}
	return every(ctx, j.opts.RescueAfter/3, func() bool {
		if _, err := j.be.db().exec(ctx, query, jobID); err != nil && ctx.Err() == nil {
			// The next beat retries; two missed beats in a row are
			// what it takes for the job to be rescued.
			zerolog.Ctx(ctx).Warn().Err(err).Msg("job heartbeat")
		}
		return true
	})
}
