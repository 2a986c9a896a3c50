package runner_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/runner"
	"github.com/pindrift/pindrift/internal/runner/runnertest"
)

const movedHead = "beef000000000000000000000000000000000000"

// memoEnv is an unconfigured repository whose runner remembers
// discoveries in store, at a clock tests can move.
type memoEnv struct {
	gh    *runnertest.GitHub
	store *runnertest.Discoveries
	now   time.Time
	r     *runner.Runner
}

func newMemoEnv(t *testing.T, files map[string]string) *memoEnv {
	t.Helper()
	if files == nil {
		files = map[string]string{"deps/sources.json": pinsJSON, "README.md": "# images\n"}
	}
	e := &memoEnv{
		gh:    runnertest.New(owner, name, onboardHead, files),
		store: runnertest.NewDiscoveries(),
		now:   time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC),
	}
	e.r = runner.New(runner.Deps{
		Installation: e.gh.Installation,
		Discoveries:  e.store,
		Now:          func() time.Time { return e.now },
	})
	return e
}

// run runs j and returns the GitHub calls it made.
func (e *memoEnv) run(t *testing.T, j runner.VerifyRequest) []string {
	t.Helper()
	before := len(e.gh.Calls())
	j.InstallationID, j.Owner, j.Repo = 7, owner, name
	if _, err := e.r.VerifyRepo(context.Background(), j); err != nil {
		t.Fatalf("VerifyRepo: %v", err)
	}
	return e.gh.Calls()[before:]
}

var (
	sweep   = runner.VerifyRequest{Trigger: "nightly sweep"}
	noPins  = map[string]string{"README.md": "# images\n", "deps/sources.json": `{"assets": [{"url": "https://example.com/a.tar.gz", "note": "no digest, so no pin"}]}`}
	errDown = errors.New("database is down")
)

// TestNothingFoundIsNotSearchedAgain: after a discovery that found
// nothing, a sweep at the same head asks GitHub nothing about onboarding,
// while anything that could change the answer searches again.
func TestNothingFoundIsNotSearchedAgain(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		// between runs after the first sweep, which found nothing.
		between func(e *memoEnv)
		again   runner.VerifyRequest
		// wantSearched: the second run lists the tree.
		wantSearched bool
		// wantCommit is the head recorded after the second run.
		wantCommit string
	}{
		"a sweep at the same head": {again: sweep, wantCommit: onboardHead},
		"a sweep a day later at the same head": {
			between: func(e *memoEnv) { e.now = e.now.Add(24 * time.Hour) },
			again:   sweep, wantCommit: onboardHead,
		},
		"a sweep after the default branch moved": {
			between: func(e *memoEnv) {
				e.gh.SetCommit(movedHead, noPins)
				e.gh.SetHead("main", movedHead)
			},
			again: sweep, wantSearched: true, wantCommit: movedHead,
		},
		"a writer's /pindrift onboard at the same head": {
			between: func(e *memoEnv) { e.gh.SetPermission("octocat", "write") },
			again:   asked, wantSearched: true, wantCommit: onboardHead,
		},
		"the store cannot be read": {
			between: func(e *memoEnv) { e.store.Fail(errDown) },
			again:   sweep, wantSearched: true, wantCommit: onboardHead,
		},
		"the memo is older than runner.RediscoverAfter": {
			between: func(e *memoEnv) { e.now = e.now.Add(runner.RediscoverAfter) },
			again:   sweep, wantSearched: true, wantCommit: onboardHead,
		},
		"the clock went back": {
			between: func(e *memoEnv) { e.now = e.now.Add(-time.Hour) },
			again:   sweep, wantSearched: true, wantCommit: onboardHead,
		},
	}
	for what, tc := range tests {
		t.Run(what, func(t *testing.T) {
			t.Parallel()
			e := newMemoEnv(t, noPins)
			if calls := e.run(t, sweep); !slices.Contains(calls, "Tree") {
				t.Fatalf("the first sweep did not search: calls %q", calls)
			}
			if d, ok := e.store.Get(owner, name); !ok || d.Found != 0 || d.Commit != onboardHead {
				t.Fatalf("recorded after the first sweep: %+v, %v; want nothing found at %s", d, ok, onboardHead)
			}
			if tc.between != nil {
				tc.between(e)
			}
			calls := e.run(t, tc.again)
			if tc.wantSearched {
				if !slices.Contains(calls, "Tree") || !slices.Contains(calls, "ReadFile") {
					t.Errorf("calls %q; want a discovery (Tree and ReadFile)", calls)
				}
			} else {
				// Not even the onboarding PRs are listed: nothing found
				// at this head opens nothing whatever they are.
				if diff := cmp.Diff([]string{"Repository", "BranchHead", "Settings"}, calls); diff != "" {
					t.Errorf("calls of the second run (-want +got):\n%s", diff)
				}
			}
			e.store.Fail(nil)
			if d, ok := e.store.Get(owner, name); !ok || d.Commit != tc.wantCommit || d.Found != 0 {
				t.Errorf("recorded after the second run: %+v, %v; want nothing found at %s", d, ok, tc.wantCommit)
			}
			if n := len(e.gh.Onboarding().PRs()); n != 0 {
				t.Errorf("%d onboarding PRs, want none", n)
			}
		})
	}
}

// TestDiscoveryStoreDownStillOnboards: a store that can neither be read
// nor written costs requests, not the onboarding PR or the job.
func TestDiscoveryStoreDownStillOnboards(t *testing.T) {
	t.Parallel()
	e := newMemoEnv(t, nil)
	e.store.Fail(errDown)
	e.run(t, sweep)
	if n := len(e.gh.Onboarding().PRs()); n != 1 {
		t.Errorf("%d onboarding PRs, want 1", n)
	}
}

// TestFailedReadsAreNotRemembered: a discovery that could not read a
// candidate did not look everywhere, so its "nothing found" is not
// trusted: the next sweep at the same head searches again and finds the
// pins.
func TestFailedReadsAreNotRemembered(t *testing.T) {
	t.Parallel()
	e := newMemoEnv(t, nil)
	e.gh.Fail("ReadFile", errors.New("502 Bad Gateway"))
	e.run(t, sweep)
	if n := len(e.gh.Onboarding().PRs()); n != 0 {
		t.Fatalf("%d onboarding PRs with every read failing, want none", n)
	}
	if d, ok := e.store.Get(owner, name); ok {
		t.Errorf("recorded %+v after failed reads; want nothing recorded", d)
	}
	e.gh.Fail("ReadFile", nil)
	e.now = e.now.Add(24 * time.Hour)
	e.run(t, sweep)
	if n := len(e.gh.Onboarding().PRs()); n != 1 {
		t.Errorf("%d onboarding PRs the night after, want 1", n)
	}
}

// TestPinsFoundAreRecorded: pins found at a new head replace the "nothing
// found" of the old one, and the onboarding PR opens.
func TestPinsFoundAreRecorded(t *testing.T) {
	t.Parallel()
	e := newMemoEnv(t, noPins)
	e.run(t, sweep)
	e.gh.SetCommit(movedHead, map[string]string{"deps/sources.json": pinsJSON})
	e.gh.SetHead("main", movedHead)
	e.run(t, sweep)
	want := runner.Discovery{Commit: movedHead, Found: 1, At: e.now}
	if d, ok := e.store.Get(owner, name); !ok || !cmp.Equal(want, d) {
		t.Errorf("recorded %+v, %v; want %+v", d, ok, want)
	}
	if n := len(e.gh.Onboarding().PRs()); n != 1 {
		t.Errorf("%d onboarding PRs, want 1", n)
	}
}

// TestOpenOnboardingPRIsNotSearchedAgain: while the onboarding PR is open,
// a sweep at the head it was discovered at lists the App's PRs and stops
// there; after the default branch moved it searches again, to keep the
// open PR true to the files.
func TestOpenOnboardingPRIsNotSearchedAgain(t *testing.T) {
	t.Parallel()
	e := newMemoEnv(t, nil)
	e.run(t, sweep)
	if n := len(e.gh.Onboarding().PRs()); n != 1 {
		t.Fatalf("%d onboarding PRs after the first sweep, want 1", n)
	}
	if calls := e.run(t, sweep); slices.Contains(calls, "Tree") || slices.Contains(calls, "ReadFile") {
		t.Errorf("a sweep at the same head with the PR open searched again: calls %q", calls)
	}
	e.gh.SetCommit(movedHead, map[string]string{"deps/sources.json": pinsJSON})
	e.gh.SetHead("main", movedHead)
	if calls := e.run(t, sweep); !slices.Contains(calls, "Tree") {
		t.Errorf("a sweep after the default branch moved did not search: calls %q", calls)
	}
}
