package runner

import (
	"context"
	"errors"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/discover"
	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/onboard"
	"github.com/pindrift/pindrift/internal/repoconfig"
)

// wantsOnboarding reports whether a run whose configuration read ended in
// settingsErr proposes a configuration instead of verifying: always for
// "/pindrift onboard", and for a repository without one unless the run
// is for a push, which would rerun discovery on every push to a
// repository that has no pins.
func wantsOnboarding(j VerifyRequest, settingsErr error) bool {
	return j.Onboard || (errors.Is(settingsErr, repoconfig.ErrNotConfigured) && j.PushSHA == "")
}

// onboard proposes a configuration for a repository that has none, or
// answers "/pindrift onboard" (j.Onboard, whose asker the caller found to
// have write access). Nothing is verified or reported here: that waits
// for the configuration. The PR state is read first, so a repository
// that declined costs one request, not a discovery.
func (r *Runner) onboard(ctx context.Context, gh GitHub, j VerifyRequest, info Repository, commit string, settingsErr error) error {
	log := zerolog.Ctx(ctx)
	repo := issues.Repo{Owner: j.Owner, Name: j.Repo, WebURL: r.d.WebURL}
	f := onboard.Facts{Repo: repo, DefaultBranch: info.DefaultBranch, BaseCommit: commit, ConfigPath: repoconfig.Path}
	var ce *repoconfig.Error
	switch {
	case settingsErr == nil, errors.As(settingsErr, &ce):
		f.Configured = true
	case errors.Is(settingsErr, repoconfig.ErrOnboardingOff):
		f.Off = true
	case errors.Is(settingsErr, repoconfig.ErrNotConfigured):
	default:
		return fmt.Errorf("configuration of %s: %w", repo.FullName(), settingsErr)
	}
	if j.Onboard && j.RequireWrite != "" && j.Issue > 0 {
		f.Asked = &onboard.Request{Login: j.RequireWrite, Issue: j.Issue}
	}
	client := gh.Onboard()
	// Decided first without GitHub's PRs: a configured repository, or
	// one whose owner turned onboarding off, needs no request at all.
	plan := onboard.Decide(f)
	// Checked before the PR listing: for a run nobody asked for, nothing
	// found at this head leads to no action whatever the PRs are.
	if plan.Discover && !j.Onboard && r.searchedInVain(ctx, j, commit) {
		return nil
	}
	if plan.Discover {
		prs, err := client.PullRequests(ctx, repo, onboard.Branch)
		if err != nil {
			return err
		}
		f.PRs = prs
		plan = onboard.Decide(f)
		if plan.Discover && !j.Onboard && openPR(prs) && r.discoveredAt(ctx, j, commit) {
			// The open PR already holds what a discovery at this head
			// found: searching again would find the same.
			log.Debug().Msg("onboarding: the open PR holds this head's discovery; not searched again")
			return nil
		}
	}
	if plan.Discover {
		src := &countingSource{Source: DiscoverSource(gh, repo, commit)}
		res, err := discover.Find(ctx, src, discover.Options{Extract: r.d.Extract})
		if err != nil {
			return fmt.Errorf("discover manifests in %s: %w", repo.FullName(), err)
		}
		r.recordDiscovery(ctx, j, commit, res, src.failed)
		f.Found, f.Config = res, res.Config()
		if plan = onboard.Decide(f); plan.Push != nil || plan.CreatePR != nil || plan.UpdatePR != nil {
			// The branch is read only when there is something to put on
			// it, and the plan made again with it.
			if f.Branch, err = client.Branch(ctx, repo, onboard.Branch, info.DefaultBranch, repoconfig.Path); err != nil {
				return fmt.Errorf("onboarding branch of %s: %w", repo.FullName(), err)
			}
			plan = onboard.Decide(f)
		}
	}
	return r.applyOnboarding(ctx, client, repo, plan, log)
}

// applyOnboarding carries out plan. Each step is safe to repeat, so a
// failed run is retried whole.
func (r *Runner) applyOnboarding(ctx context.Context, client onboard.Client, repo issues.Repo, plan onboard.Plan, log *zerolog.Logger) error {
	if plan.Push != nil {
		if err := client.Push(ctx, repo, *plan.Push); err != nil {
			return fmt.Errorf("push the configuration to %s in %s: %w", plan.Push.Branch, repo.FullName(), err)
		}
	}
	pr := 0
	if plan.CreatePR != nil {
		n, err := client.CreatePR(ctx, repo, *plan.CreatePR)
		if err != nil {
			return fmt.Errorf("open the onboarding PR in %s: %w", repo.FullName(), err)
		}
		pr = n
		if plan.Announce > 0 {
			if err := client.Comment(ctx, repo, plan.Announce, onboard.Announcement(n)); err != nil {
				return fmt.Errorf("announce #%d on #%d in %s: %w", n, plan.Announce, repo.FullName(), err)
			}
		}
	}
	if plan.UpdatePR != nil {
		if err := client.UpdatePR(ctx, repo, *plan.UpdatePR); err != nil {
			return fmt.Errorf("%s: %w", repo.FullName(), err)
		}
		pr = plan.UpdatePR.Number
	}
	if plan.Reply != nil {
		if err := client.Comment(ctx, repo, plan.Reply.Issue, plan.Reply.Body); err != nil {
			return fmt.Errorf("answer %s on #%d in %s: %w", onboard.Command, plan.Reply.Issue, repo.FullName(), err)
		}
	}
	ev := log.Info()
	if plan.Skip != "" && plan.Reply == nil {
		ev = log.Debug()
	}
	ev.Int("pr", pr).Bool("pushed", plan.Push != nil).Bool("replied", plan.Reply != nil).Str("skip", plan.Skip).Msg("onboarding")
	return nil
}

// openPR reports whether one of prs is open.
func openPR(prs []onboard.PR) bool {
	for _, pr := range prs {
		if pr.Open {
			return true
		}
	}
	return false
}
