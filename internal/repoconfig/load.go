package repoconfig

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/appconfig"
)

// ErrNotConfigured means neither the repository nor its owner's .github
// repository holds a pindrift configuration: the App leaves it alone.
var ErrNotConfigured = errors.New("pindrift is not configured for this repository")

// ErrOnboardingOff is ErrNotConfigured (errors.Is holds) for a repository
// whose configuration, usually the owner's default, only says
// onboarding: false: the App leaves it alone and proposes no
// configuration either.
var ErrOnboardingOff = fmt.Errorf("%w, and onboarding is off (onboarding: false)", ErrNotConfigured)

// OwnerDefaultRepo is the owner's repository whose configuration applies to
// every repository of the owner that has none of its own.
const OwnerDefaultRepo = ".github"

// ownerDefaultPaths are tried in the owner's .github repository: at its
// root, as go-githubapp does, or under .github/ as Probot apps do.
var ownerDefaultPaths = []string{"pindrift.yml", Path}

// DefaultLoadTimeout bounds Load when the context has no deadline.
const DefaultLoadTimeout = 30 * time.Second

// Remote references (a file saying "remote: org/repo") are not followed:
// the owner's .github repository covers shared configuration, and a
// reference to a repository the installation cannot read would fail in a
// way the repository's owner cannot see.
var repoLoader = appconfig.NewLoader([]string{Path},
	appconfig.WithOwnerDefault(OwnerDefaultRepo, ownerDefaultPaths),
	appconfig.WithRemoteRefParser(nil))

// Source is where a repository's configuration was read.
type Source struct {
	Repo string // "owner/name" of the repository holding the file
	Ref  string // the ref read; for an owner default, that repository's default branch
	Path string
	// OwnerDefault reports that the file is the owner's default, from its
	// .github repository, rather than the repository's own.
	OwnerDefault bool
}

// String is e.g. "acme/.github@main:pindrift.yml".
func (s Source) String() string { return s.repoRef() + ":" + s.Path }

func (s Source) repoRef() string {
	if s.Ref == "" {
		return s.Repo
	}
	return s.Repo + "@" + s.Ref
}

// Load reads and validates the configuration of owner/repo at ref ("" for
// the default branch): the repository's own .github/pindrift.yml, or else
// the owner's default in its .github repository. Outcomes:
//   - a valid configuration and where it came from;
//   - ErrNotConfigured when neither exists, ErrOnboardingOff (which is
//     ErrNotConfigured too) when the one found only says onboarding: false;
//   - an *Error, naming the repository, file, line and key of every
//     problem, when the file is invalid: something to tell the user;
//   - any other error when GitHub could not be read: worth a retry.
func Load(ctx context.Context, client *github.Client, owner, repo, ref string) (*Config, Source, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultLoadTimeout)
		defer cancel()
	}
	c, err := repoLoader.LoadConfig(ctx, client, owner, repo, ref)
	src := sourceOf(c, owner, repo)
	if err != nil {
		return nil, src, fmt.Errorf("load pindrift configuration for %s/%s from %s: %w", owner, repo, src, err)
	}
	if c.IsUndefined() {
		return nil, Source{}, ErrNotConfigured
	}
	cfg, err := Parse(c.Path, c.Content)
	if err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			ce.Source, ce.OwnerDefault = src.repoRef(), src.OwnerDefault
		}
		return nil, src, err
	}
	if cfg.OnboardingOff() {
		return nil, src, ErrOnboardingOff
	}
	return cfg, src, nil
}

// sourceOf reads appconfig's "owner/name@ref" source.
func sourceOf(c appconfig.Config, owner, repo string) Source {
	name, ref, _ := strings.Cut(c.Source, "@")
	return Source{Repo: name, Ref: ref, Path: c.Path,
		OwnerDefault: name != "" && !strings.EqualFold(name, owner+"/"+repo)}
}
