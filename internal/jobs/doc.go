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
// "/pindrift recheck" is limited apart from that: Recheck takes a
// repository's turn in pindrift_rechecks, at most one run per window
// (DefaultRecheckWindow) across replicas, and says which refused recheck
// is the one to answer, so a burst of comments gets one reply.
package jobs
