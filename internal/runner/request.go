package runner

import (
	"strconv"
	"strings"
	"time"
)

// The requests below are the one definition of each job: the webhook
// builds them, the job queue stores them as they are and the runner runs
// them, so a field added here reaches the run without a copy in between.
//
// The JSON tags are the form queued jobs are stored in (River's job
// table): renaming one orphans the field of every job queued before an
// upgrade, so they only ever gain new names.

// VerifyRequest asks for a repository's default branch to be verified and
// its tracking issue and fix PR brought up to date.
type VerifyRequest struct {
	InstallationID int64  `json:"installation_id"`
	Owner          string `json:"owner"`
	Repo           string `json:"repo"`
	// Trigger says what caused the run, for people: "release v1.2
	// edited", "push 1a2b3c4 to main", "nightly sweep".
	Trigger string `json:"trigger"`
	// DeliveryID is the X-GitHub-Delivery that caused the run, for logs.
	// A redelivery carries the same id.
	DeliveryID string `json:"delivery_id,omitempty"`
	// PushSHA, for a push or a re-requested check on a pushed commit,
	// asks for a check run on the verified commit when the push touched a
	// manifest or the configuration (Paths).
	PushSHA string `json:"push_sha,omitempty"`
	// Paths are the files a push changed, sorted and without duplicates.
	// nil means unknown (a truncated commit list, a forced push): the run
	// assumes they changed.
	Paths []string `json:"paths,omitempty"`
	// RequireWrite is a login that must have write access to the
	// repository for the run to do anything (a "/pindrift recheck"
	// comment); "" when no one needs checking.
	RequireWrite string `json:"require_write,omitempty"`
	// Issue is the tracking issue a recheck was asked on, where a recheck
	// refused as too soon is answered; 0 otherwise.
	Issue int `json:"issue,omitempty"`
	// Onboard asks for the onboarding pull request ("/pindrift onboard"
	// on Issue by RequireWrite), even where it was declined before; the
	// run verifies nothing.
	Onboard bool `json:"onboard,omitempty"`
}

// PRRequest asks for a check run on a pull request's head commit,
// verifying the manifests as the pull request has them.
type PRRequest struct {
	InstallationID int64 `json:"installation_id"`
	// Owner and Repo name the base repository. A fork's pull request is
	// read through it (refs/pull/N/head and the head SHA are visible there).
	Owner   string `json:"owner"`
	Repo    string `json:"repo"`
	Number  int    `json:"pr"`
	HeadSHA string `json:"head_sha"`
	// Trigger and DeliveryID are as in VerifyRequest, for logs.
	Trigger    string `json:"trigger,omitempty"`
	DeliveryID string `json:"delivery_id,omitempty"`
}

// RecheckTurn is whether a "/pindrift recheck" may run now; Deps.Recheck
// gives it.
type RecheckTurn struct {
	Allowed bool
	// Last is when the last allowed recheck was taken and Next when the
	// next one may run, when not Allowed.
	Last, Next time.Time
	// Reply reports that this is the first refused recheck since Last:
	// the one to answer, so that a burst of comments gets one reply.
	Reply bool
}

// CheckName is the name of the check run pindrift posts; the webhook acts
// only on re-runs of a check of this name.
const CheckName = "pindrift"

// prExternalIDPrefix starts the external id of a check run posted on a
// pull request ("pr:42"). GitHub leaves a check run's pull_requests empty
// when the head branch is in a fork, so without it a re-run of a fork
// pull request's check could not be told from one on a pushed commit.
const prExternalIDPrefix = "pr:"

// PRExternalID is the external id of the check run posted on pull request
// number, so that re-running it checks the pull request again even when it
// comes from a fork.
func PRExternalID(number int) string { return prExternalIDPrefix + strconv.Itoa(number) }

// PRFromExternalID reads back the pull request number of PRExternalID.
func PRFromExternalID(externalID string) (int, bool) {
	s, ok := strings.CutPrefix(externalID, prExternalIDPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0
}
