// Package jobs is pindrift's durable job layer: River queues over SQLite
// (the default, a file beside the config) or PostgreSQL (shared by several
// replicas), the per-repository guarantees the App promises, the nightly
// sweep, and the verified-asset cache kept in the same database.
//
// The guarantee for a repository: its jobs never run at the same time, and
// an event that arrives while one runs leads to exactly one more run after
// it. Two mechanisms give it, both stored in the database so they hold
// across restarts and replicas:
//
//   - Coalescing by generation. Every coalescing key (a repository for
//     VerifyRepo, a repository, pull request and head commit for CheckPR)
//     has a generation number in pindrift_job_generations. Enqueue reads
//     it under a row lock and inserts a River job unique by (key,
//     generation) in the same transaction, so events for one generation
//     collapse into one job. A job, once it holds the repository lock and
//     before it does any work, advances the generation: events up to that
//     moment are covered by the run about to start, events after it create
//     exactly one follow-up job for the next generation. River's unique
//     states must include running, which is why the generation, not the
//     job state, separates "covered by this run" from "needs another".
//   - A lease per repository in pindrift_repo_locks, taken before the
//     generation advances, renewed while the handler runs and released when
//     it returns. A job that finds the lease held snoozes (River's
//     JobSnooze, which does not use up attempts) and tries again; a lease
//     left by a crashed process expires after Options.LockTTL.
//
// Crash recovery. A job left running by a process that died (SIGKILL, OOM,
// a lost node) runs again within Options.RescueAfter (default 1 minute)
// plus River's rescuer period (30 s) and its first retry backoff (about
// 1 s): under 2 minutes, on SQLite and PostgreSQL alike. River's rescuer,
// run by the elected leader, retries jobs in state running whose
// attempted_at is older than RescueStuckJobsAfter, set to RescueAfter. A
// live job must not be rescued (it would run twice and its result be
// lost), so every job keeps a heartbeat: every RescueAfter/3 it advances
// its own attempted_at. River also requires its job timeout to be no longer
// than the rescue horizon, so River's timeout is RescueAfter too and
// handlers run under Options.JobTimeout instead, in a context that ignores
// River's deadline but not its cancellation (runTimed). Should a live job
// be rescued anyway (its heartbeat failed twice in a row), the repository
// lease still keeps the rescued copy from overlapping it: the copy snoozes
// until the lease is free. The alternative, a job timeout derived from the
// download size, was rejected: sizes are unknown until the manifest is
// read, and a crash would still wait the whole timeout.
//
// Sweep. The periodic sweep job only lists installations (suspended ones
// are left out) and queues one job per installation, unique per tick;
// each lists its installation's repositories and schedules one VerifyRepo
// per repository at a stable point in the Options.SweepSpread window
// (a hash of the name), instead of one burst. A suspended or deleted
// installation fails only its own job; a Permanent error cancels it with
// one log line rather than retrying for days. Swept runs coalesce only
// with each other, so an event is never delayed to the sweep's slot.
//
// Share of workers. A repository job first takes one of its
// installation's Options.InstallationShare slots (default max(1,
// Workers/2)), leases in pindrift_repo_locks like a repository's. With
// every slot taken it still runs when no job of another installation is
// due, so a lone installation uses every worker; otherwise it snoozes, and
// the other installation's job gets the next free worker.
//
// "/pindrift recheck" is limited apart from that: Recheck takes a
// repository's turn in pindrift_rechecks, at most one run per window
// (DefaultRecheckWindow) across replicas, and says which refused recheck
// is the one to answer, so a burst of comments gets one reply.
//
// Discoveries keeps, in pindrift_discoveries, the last discovery of each
// unconfigured repository (its head commit and how many files with pins
// it found), so no replica searches a repository without pins again
// until its default branch moves (runner.Discoveries).
//
// What it owns and what it must not import. The requests a job carries are
// runner's (runner.VerifyRequest, runner.PRRequest): VerifyRepo and
// CheckPR embed them, so their JSON, and the JSON of jobs already queued,
// is the request's, and add only what the queue needs (Swept, the
// coalescing key and generation). The job worker is where a job's work
// enters: it adds the job, installation, repository and delivery to the
// context's logger once, with go-githubapp's githubapp.LogKey* names, and
// what the job runs adds none of them again. In the layering (cmd/bot,
// server, webhook, jobs, runner, remedy, ...) jobs may import runner and
// what is below it, never webhook, server or config.
package jobs
