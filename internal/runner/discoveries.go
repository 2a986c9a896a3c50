package runner

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/discover"
)

// Discoveries remembers what the last discovery of each repository found,
// so a sweep does not list and read the tree of a repository without pins
// every night: a discovery costs up to 201 API requests, and an
// installation with hundreds of such repositories would spend its rate
// limit on finding nothing again.
type Discoveries interface {
	// Last returns the last discovery recorded for owner/repo; ok is
	// false when none was.
	Last(ctx context.Context, owner, repo string) (d Discovery, ok bool, err error)
	// Record replaces the discovery recorded for owner/repo.
	Record(ctx context.Context, owner, repo string, d Discovery) error
}

// Discovery is the outcome of one discovery of a repository.
type Discovery struct {
	// Commit is the default branch's head that was searched.
	Commit string
	// Found counts the files found holding pins; 0 is "nothing found".
	Found int
	// At is when the discovery ran.
	At time.Time
}

// RediscoverAfter is how long "nothing found" at an unchanged head is
// trusted. A repository that never moves is still searched again now and
// then, so one that a newer pindrift (new formats, smarter discovery)
// would find pins in is not passed over for ever; once a month is a
// thirtieth of the requests of searching every night.
const RediscoverAfter = 30 * 24 * time.Hour

// foundNothingAt reports whether last says discovery at commit found
// nothing, recently enough (as of now) to be trusted without searching
// again. A clock that went back trusts nothing.
func foundNothingAt(last Discovery, commit string, now time.Time) bool {
	age := now.Sub(last.At)
	return last.Found == 0 && last.Commit == commit && age >= 0 && age < RediscoverAfter
}

// lastDiscovery is the last discovery recorded for j's repository; ok is
// false when there is none or no store, or the store cannot answer: a
// discovery too many costs requests, while failing the job would stop
// onboarding of the repository for as long as the store is down; the
// warning tells operators.
func (r *Runner) lastDiscovery(ctx context.Context, j VerifyRequest) (Discovery, bool) {
	if r.d.Discoveries == nil {
		return Discovery{}, false
	}
	last, ok, err := r.d.Discoveries.Last(ctx, j.Owner, j.Repo)
	if err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("last discovery unknown; discovering anyway")
		return Discovery{}, false
	}
	return last, ok
}

// discoveredAt reports whether a discovery of j's repository ran at
// commit recently (within RediscoverAfter), whatever it found.
func (r *Runner) discoveredAt(ctx context.Context, j VerifyRequest, commit string) bool {
	last, ok := r.lastDiscovery(ctx, j)
	age := r.d.Now().Sub(last.At)
	return ok && last.Commit == commit && age >= 0 && age < RediscoverAfter
}

// searchedInVain reports whether discovery of j's repository may be
// skipped at commit: it found nothing there last time.
func (r *Runner) searchedInVain(ctx context.Context, j VerifyRequest, commit string) bool {
	last, ok := r.lastDiscovery(ctx, j)
	if !ok || !foundNothingAt(last, commit, r.d.Now()) {
		return false
	}
	zerolog.Ctx(ctx).Debug().Str("commit", last.Commit).Time("searched", last.At).
		Msg("onboarding: discovery found nothing at this head already; not searched again until the default branch moves")
	return true
}

// recordDiscovery remembers what discovery found at commit. A discovery
// some of whose reads failed is not remembered: a file GitHub could not
// serve this time may hold the pins, and "nothing found" would keep the
// repository from being searched again until its next push. A failed
// write is only logged: the job did its work, and the next sweep merely
// searches again.
func (r *Runner) recordDiscovery(ctx context.Context, j VerifyRequest, commit string, res *discover.Result, readFailures int) {
	if r.d.Discoveries == nil || readFailures > 0 {
		return
	}
	d := Discovery{Commit: commit, Found: len(res.Files), At: r.d.Now()}
	if err := r.d.Discoveries.Record(ctx, j.Owner, j.Repo, d); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("discovery not recorded; the next sweep searches again")
	}
}

// countingSource counts the reads of a discover.Source that failed.
type countingSource struct {
	discover.Source
	failed int
}

func (s *countingSource) Read(ctx context.Context, path string, maxBytes int64) ([]byte, error) {
	b, err := s.Source.Read(ctx, path, maxBytes)
	if err != nil {
		s.failed++
	}
	return b, err
}
