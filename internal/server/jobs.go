package server

import (
	"context"
	"errors"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/pindrift/pindrift/internal/jobs"
	"github.com/pindrift/pindrift/internal/runner"
)

// The two adapters between the job queue and the rest of the App: queue
// is what the webhook enqueues through, jobWork what the queue's workers
// call.

// queue adapts the job queue to what the webhook handlers enqueue.
type queue struct{ jobs *jobs.Jobs }

func (q *queue) VerifyRepo(ctx context.Context, r runner.VerifyRequest) (bool, error) {
	e, err := q.jobs.Enqueue(ctx, jobs.VerifyRepo{VerifyRequest: r})
	return e.Duplicate, err
}

func (q *queue) CheckPR(ctx context.Context, r runner.PRRequest) (bool, error) {
	e, err := q.jobs.Enqueue(ctx, jobs.CheckPR{PRRequest: r})
	return e.Duplicate, err
}

// jobWork is what the queue's workers call for each job: it hands the
// request to the runner (the only thing that does a run's work) and
// records the outcome in the metrics. The job worker has put the job's
// installation, repository and delivery in the context's logger.
type jobWork struct{ s *Server }

func (h *jobWork) VerifyRepo(ctx context.Context, a jobs.VerifyRepo) error {
	if skip, err := h.s.skipInstallation(ctx, a.InstallationID); skip || err != nil {
		return err
	}
	out, err := h.s.runner.VerifyRepo(ctx, a.VerifyRequest)
	h.s.metrics.Job(jobs.KindVerifyRepo, err)
	if err == nil && out.Report != nil {
		h.s.metrics.Verified(a.Owner+"/"+a.Repo, out.Report)
	}
	return retryable(err)
}

func (h *jobWork) CheckPR(ctx context.Context, a jobs.CheckPR) error {
	if skip, err := h.s.skipInstallation(ctx, a.InstallationID); skip || err != nil {
		return err
	}
	_, err := h.s.runner.CheckPR(ctx, a.PRRequest)
	h.s.metrics.Job(jobs.KindCheckPR, err)
	return retryable(err)
}

// Installations lists the installations the sweep covers. A suspended or
// deleted installation is left out: its tokens cannot be minted.
func (h *jobWork) Installations(ctx context.Context) ([]int64, error) {
	inactive, err := h.s.jobs.InactiveInstallations(ctx)
	if err != nil {
		return nil, err
	}
	ids, err := h.s.gh.Installations(ctx, func(id int64) bool { _, skip := inactive[id]; return skip })
	h.s.metrics.Job(jobs.KindSweep, err)
	return ids, retryable(err)
}

// InstallationRepos lists one installation's repositories for the sweep.
// Repositories without a configuration are listed too: their run finds
// that out with the same read it needs anyway, rather than a second one
// here.
func (h *jobWork) InstallationRepos(ctx context.Context, id int64) ([]jobs.VerifyRepo, error) {
	repos, err := h.s.gh.InstallationRepos(ctx, id)
	h.s.metrics.Job(jobs.KindSweepInstallation, err)
	if err != nil {
		return nil, retryable(err)
	}
	out := make([]jobs.VerifyRepo, 0, len(repos))
	for _, r := range repos {
		out = append(out, jobs.VerifyRepo{VerifyRequest: runner.VerifyRequest{Owner: r.Owner, Repo: r.Name}})
	}
	return out, nil
}

// retryable turns GitHub's rate-limit answers into a wait until the
// limit resets; other errors are retried with backoff by the queue.
func retryable(err error) error {
	var rl *github.RateLimitError
	if errors.As(err, &rl) {
		return jobs.RetryAfter(rl.Rate.Reset.Time, err)
	}
	var ab *github.AbuseRateLimitError
	if errors.As(err, &ab) {
		wait := time.Minute
		if ab.RetryAfter != nil {
			wait = *ab.RetryAfter
		}
		return jobs.RetryAfter(time.Now().Add(wait), err)
	}
	if runner.IsPermanent(err) || installationGone(err) {
		return jobs.Permanent(err)
	}
	return err
}
