package jobs

import (
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pindrift/pindrift/internal/runner"
)

// Job kinds as stored in River's job table; changing one orphans queued jobs.
const (
	KindVerifyRepo = "pindrift.verify_repo"
	KindCheckPR    = "pindrift.check_pr"
	KindSweep      = "pindrift.sweep"
	// KindSweepInstallation lists one installation's repositories for a
	// sweep and schedules their runs.
	KindSweepInstallation = "pindrift.sweep_installation"
)

// VerifyRepo is a verification as queued: the runner's request, stored
// as it is (its fields are the job's JSON), and what only the queue
// needs to know about it.
type VerifyRepo struct {
	runner.VerifyRequest
	// Swept marks a run the sweep scheduled for later in its window. Such
	// runs coalesce only with each other, so an event never folds into one
	// and waits for the sweep's slot.
	Swept bool `json:"swept,omitempty"`
}

// CheckPR is a pull request check as queued: the runner's request, stored
// as it is.
type CheckPR struct {
	runner.PRRequest
}

// Args is what Enqueue accepts: VerifyRepo or CheckPR.
type Args interface {
	// repoKey names the repository whose lock the job takes.
	repoKey() string
	// coalesceKey names the generation counter events coalesce on.
	coalesceKey() string
	riverArgs(gen int64) river.JobArgs
	validate() error
}

func repoKey(owner, repo string) string {
	// GitHub names are case-insensitive; the lock must be too.
	return strings.ToLower(owner) + "/" + strings.ToLower(repo)
}

func validateRepo(installationID int64, owner, repo string) error {
	if installationID <= 0 || owner == "" || repo == "" || strings.Contains(owner, "/") || strings.Contains(repo, "/") {
		return fmt.Errorf("invalid repository: installation %d, %q/%q", installationID, owner, repo)
	}
	return nil
}

func (a VerifyRepo) repoKey() string { return repoKey(a.Owner, a.Repo) }
func (a VerifyRepo) coalesceKey() string {
	k := "verify/" + a.repoKey()
	if a.PushSHA != "" {
		k += "@" + strings.ToLower(a.PushSHA)
	}
	if a.RequireWrite != "" {
		k += "?by=" + strings.ToLower(a.RequireWrite)
	}
	if a.Onboard {
		k += "&onboard" // not folded into the same person's recheck
	}
	if a.Swept {
		k += "~sweep"
	}
	return k
}
func (a VerifyRepo) validate() error { return validateRepo(a.InstallationID, a.Owner, a.Repo) }
func (a VerifyRepo) riverArgs(gen int64) river.JobArgs {
	return verifyRepoJob{VerifyRepo: a, Key: a.coalesceKey(), Gen: gen}
}

func (a CheckPR) repoKey() string { return repoKey(a.Owner, a.Repo) }
func (a CheckPR) coalesceKey() string {
	return fmt.Sprintf("check_pr/%s#%d@%s", a.repoKey(), a.Number, strings.ToLower(a.HeadSHA))
}

func (a CheckPR) validate() error {
	if err := validateRepo(a.InstallationID, a.Owner, a.Repo); err != nil {
		return err
	}
	if a.Number <= 0 || a.HeadSHA == "" {
		return fmt.Errorf("invalid pull request: #%d at %q", a.Number, a.HeadSHA)
	}
	return nil
}

func (a CheckPR) riverArgs(gen int64) river.JobArgs {
	return checkPRJob{CheckPR: a, Key: a.coalesceKey(), Gen: gen}
}

// verifyRepoJob is VerifyRepo as stored: only Key and Gen make it unique,
// so events for one generation of one repository are one job.
type verifyRepoJob struct {
	VerifyRepo
	Key string `json:"key" river:"unique"`
	Gen int64  `json:"gen" river:"unique"`
}

func (verifyRepoJob) Kind() string { return KindVerifyRepo }

func (verifyRepoJob) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: coalescingUnique}
}

type checkPRJob struct {
	CheckPR
	Key string `json:"key" river:"unique"`
	Gen int64  `json:"gen" river:"unique"`
}

func (checkPRJob) Kind() string { return KindCheckPR }

func (checkPRJob) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: coalescingUnique}
}

// coalescingUnique leaves out completed (River's default includes it) so a
// generation counter that starts again, after its row is removed, cannot
// collide with a finished job; running must stay, River requires it.
var coalescingUnique = river.UniqueOpts{
	ByArgs:  true,
	ByState: uniqueStates(),
}

// sweepJob is one tick of the periodic sweep. Tick makes a tick unique,
// a guard should two leaders overlap during a hand-over.
type sweepJob struct {
	Tick time.Time `json:"tick" river:"unique"`
}

func (sweepJob) Kind() string { return KindSweep }

func (sweepJob) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// sweepInstallationJob is one installation's share of a sweep tick; one
// per (installation, tick), so a sweep retried after a partial failure
// does not list an installation twice.
type sweepInstallationJob struct {
	InstallationID int64     `json:"installation_id" river:"unique"`
	Tick           time.Time `json:"tick" river:"unique"`
}

func (sweepInstallationJob) Kind() string { return KindSweepInstallation }

func (sweepInstallationJob) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

func uniqueStates() []rivertype.JobState {
	return []rivertype.JobState{
		rivertype.JobStateAvailable,
		rivertype.JobStatePending,
		rivertype.JobStateRetryable,
		rivertype.JobStateRunning,
		rivertype.JobStateScheduled,
	}
}
