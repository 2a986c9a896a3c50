package webhook

import (
	"context"
	"fmt"
	"strings"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/runner"
)

// installationID returns the installation a delivery is for. GitHub adds
// it to every App delivery; a delivery without one comes from a
// repository or organization webhook and is not pindrift's to act on.
func installationID(ctx context.Context, inst *installationJSON) (int64, bool) {
	id := inst.id()
	if id == 0 {
		zerolog.Ctx(ctx).Info().Msg("delivery without an installation (not an App delivery); ignored")
		return 0, false
	}
	return id, true
}

// withInstallation adds the installation to the context's logger, with
// go-githubapp's key. Each delivery's fields are added once, in the
// handler's prologue: what it calls takes the logger from the context.
func withInstallation(ctx context.Context, installationID int64) context.Context {
	return zerolog.Ctx(ctx).With().Int64(githubapp.LogKeyInstallationID, installationID).Logger().WithContext(ctx)
}

// withRepo adds the repository to the context's logger, with
// go-githubapp's keys; the installation is already there.
func withRepo(ctx context.Context, owner, repo string) context.Context {
	return zerolog.Ctx(ctx).With().
		Str(githubapp.LogKeyRepositoryOwner, owner).
		Str(githubapp.LogKeyRepositoryName, repo).
		Logger().WithContext(ctx)
}

// forRepo reads the installation and repository a delivery is about and
// adds them to the context's logger. ok is false for a delivery the
// handler must not act on, which it answers with err: nil for one that
// is not an App delivery (ignored), a badPayloadError for one without a
// repository (acknowledged), a *badNameError for a repository name GitHub
// does not allow (400).
func forRepo(ctx context.Context, c *common) (_ context.Context, id int64, owner, name string, ok bool, err error) {
	id, ok = installationID(ctx, c.Installation)
	if !ok {
		return ctx, 0, "", "", false, nil
	}
	repo := c.Repository
	if repo == nil {
		return ctx, 0, "", "", false, unusable("%s delivery without a repository", c.Action)
	}
	owner, name = ownerName(repo.owner(), repo.Name, repo.FullName)
	if owner == "" && name == "" {
		return ctx, 0, "", "", false, unusable("%s delivery whose repository has no name", c.Action)
	}
	if err := checkRepoName(owner, name); err != nil {
		return ctx, 0, "", "", false, err
	}
	return withRepo(withInstallation(ctx, id), owner, name), id, owner, name, true, nil
}

// ownerName names a repository from a payload: owner.login where the
// payload has it, the full name otherwise (installation payloads list
// repositories without their owner).
func ownerName(owner, name, fullName string) (string, string) {
	if o, n, ok := strings.Cut(fullName, "/"); ok && (owner == "" || name == "") {
		return o, n
	}
	return owner, name
}

func ignore(ctx context.Context, why string) error {
	zerolog.Ctx(ctx).Debug().Msg(why + "; ignored")
	return nil
}

func enqueueVerify(ctx context.Context, q Queue, r runner.VerifyRequest) error {
	dup, err := q.VerifyRepo(ctx, r)
	if err != nil {
		return fmt.Errorf("enqueue verify of %s/%s: %w", r.Owner, r.Repo, err)
	}
	zerolog.Ctx(ctx).Info().Str("trigger", r.Trigger).Bool("duplicate", dup).Msg("verify enqueued")
	return nil
}

func enqueuePR(ctx context.Context, q Queue, r runner.PRRequest) error {
	dup, err := q.CheckPR(ctx, r)
	if err != nil {
		return fmt.Errorf("enqueue check of %s/%s#%d: %w", r.Owner, r.Repo, r.Number, err)
	}
	zerolog.Ctx(ctx).Info().Int(githubapp.LogKeyPRNum, r.Number).Str("trigger", r.Trigger).Bool("duplicate", dup).
		Msg("pull request check enqueued")
	return nil
}
