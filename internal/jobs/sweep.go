package jobs

import (
	"context"
	"hash/fnv"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/riverqueue/river"
	"github.com/rs/zerolog"
)

// The sweep fans out in two steps so that one installation's trouble (a
// suspended or deleted installation answers 403 or 404) is its own job's
// failure, never the others': the tick lists installations and queues one
// sweepInstallationJob each; that job lists the installation's
// repositories and schedules one VerifyRepo each, spread over
// Options.SweepSpread.

type sweepWorker struct {
	river.WorkerDefaults[sweepJob]
	j *Jobs
}

func (w *sweepWorker) Work(ctx context.Context, job *river.Job[sweepJob]) error {
	log := w.j.jobLogger(job.JobRow).Time("tick", job.Args.Tick).Logger()
	ctx = log.WithContext(ctx)
	return w.j.runTimed(ctx, job.ID, func(ctx context.Context) error {
		start := time.Now()
		ids, err := w.j.opts.Handler.Installations(ctx)
		if err == nil {
			err = w.j.be.inTx(ctx, func(ctx context.Context, _ querier, insert insertFunc) error {
				for _, id := range ids {
					if _, err := insert(ctx, sweepInstallationJob{InstallationID: id, Tick: job.Args.Tick}, nil); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if err == nil {
			log.Info().Int("installations", len(ids)).Msg("sweep queued one job per installation")
		}
		return w.j.result(ctx, err, start)
	})
}

type sweepInstallationWorker struct {
	river.WorkerDefaults[sweepInstallationJob]
	j *Jobs
}

func (w *sweepInstallationWorker) Work(ctx context.Context, job *river.Job[sweepInstallationJob]) error {
	a := job.Args
	log := w.j.jobLogger(job.JobRow).Int64(githubapp.LogKeyInstallationID, a.InstallationID).Time("tick", a.Tick).Logger()
	ctx = log.WithContext(ctx)
	return w.j.runTimed(ctx, job.ID, func(ctx context.Context) error {
		start := time.Now()
		repos, err := w.j.opts.Handler.InstallationRepos(ctx, a.InstallationID)
		if err != nil {
			return w.j.result(ctx, err, start)
		}
		for _, r := range repos {
			r.InstallationID = a.InstallationID
			r.Trigger = "nightly sweep"
			r.Swept = true
			at := a.Tick.Add(spreadOffset(r.repoKey(), w.j.opts.SweepSpread))
			if _, err := w.j.enqueueAt(ctx, r, at); err != nil {
				return w.j.result(ctx, err, start)
			}
		}
		zerolog.Ctx(ctx).Info().Int("repositories", len(repos)).Dur("spread", max(w.j.opts.SweepSpread, 0)).
			Msg("sweep scheduled the installation's repositories")
		return w.j.result(ctx, nil, start)
	})
}

// spreadOffset places a repository in the sweep window by a hash of its
// name: the same slot every night, and the installation's repositories
// spread evenly without knowing how many the others have.
func spreadOffset(key string, spread time.Duration) time.Duration {
	if spread <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(key)) // a hash.Hash never fails to write
	return time.Duration(h.Sum64() % uint64(spread))
}
