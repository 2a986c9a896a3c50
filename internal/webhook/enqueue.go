package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"
)

// decode reads a payload the dispatcher has authenticated.
func decode(payload []byte, v any) error {
	if err := json.Unmarshal(payload, v); err != nil {
		return badPayloadError{err}
	}
	return nil
}

// installationID returns the installation a delivery is for. GitHub adds
// it to every App delivery; a delivery without one comes from a
// repository or organization webhook and is not pindrift's to act on.
func installationID(ctx context.Context, inst *github.Installation) (int64, bool) {
	id := inst.GetID()
	if id == 0 {
		zerolog.Ctx(ctx).Info().Msg("delivery without an installation (not an App delivery); ignored")
		return 0, false
	}
	return id, true
}

// withRepo adds the installation and repository to the context's logger,
// with go-githubapp's keys.
func withRepo(ctx context.Context, installationID int64, owner, repo string) context.Context {
	l := zerolog.Ctx(ctx).With().
		Int64(githubapp.LogKeyInstallationID, installationID).
		Str(githubapp.LogKeyRepositoryOwner, owner).
		Str(githubapp.LogKeyRepositoryName, repo).
		Logger()
	return l.WithContext(ctx)
}

// repository is what forRepo reads of a payload's repository; go-github's
// Repository and PushEventRepository both have it.
type repository interface {
	GetOwner() *github.User
	GetName() string
	GetFullName() string
}

// forRepo reads the installation and repository a delivery is about and
// adds them to the context's logger. ok is false for a delivery the
// handler must not act on, which it answers with err: nil for one that
// is not an App delivery (ignored), a *badNameError for a repository
// name GitHub does not allow (400).
func forRepo[R repository](ctx context.Context, inst *github.Installation, repo R) (_ context.Context, id int64, owner, name string, ok bool, err error) {
	id, ok = installationID(ctx, inst)
	if !ok {
		return ctx, 0, "", "", false, nil
	}
	owner, name = ownerName(repo.GetOwner().GetLogin(), repo.GetName(), repo.GetFullName())
	if err := checkRepoName(owner, name); err != nil {
		return ctx, 0, "", "", false, err
	}
	return withRepo(ctx, id, owner, name), id, owner, name, true, nil
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

func enqueueVerify(ctx context.Context, q Queue, j VerifyJob) error {
	dup, err := q.VerifyRepo(ctx, j)
	if err != nil {
		return fmt.Errorf("enqueue verify of %s/%s: %w", j.Owner, j.Repo, err)
	}
	zerolog.Ctx(ctx).Info().Str("trigger", j.Trigger).Bool("duplicate", dup).Msg("verify enqueued")
	return nil
}

func enqueuePR(ctx context.Context, q Queue, j PRJob) error {
	dup, err := q.CheckPR(ctx, j)
	if err != nil {
		return fmt.Errorf("enqueue check of %s/%s#%d: %w", j.Owner, j.Repo, j.Number, err)
	}
	zerolog.Ctx(ctx).Info().Int(githubapp.LogKeyPRNum, j.Number).Str("trigger", j.Trigger).Bool("duplicate", dup).
		Msg("pull request check enqueued")
	return nil
}

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}
