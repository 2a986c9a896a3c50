package runnertest

import (
	"context"
	"errors"
	"fmt"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/onboard"
	"github.com/pindrift/pindrift/internal/patch/fixpr"
)

// Onboarding is the fake's onboarding client: the App's onboarding PRs
// and branch, and what runs did to them. Comments land with the others
// (GitHub.Comments).
type Onboarding struct {
	g *GitHub
	// prs are newest first.
	prs    []onboard.PR
	branch *fixpr.Branch
	pushes []fixpr.Push
}

// Onboarding returns the fake's onboarding client, to set up PRs and see
// what runs did.
func (g *GitHub) Onboarding() *Onboarding {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.onboarding == nil {
		g.onboarding = &Onboarding{g: g}
	}
	return g.onboarding
}

func (g *GitHub) Onboard() onboard.Client { return g.Onboarding() }

// AddPR adds an onboarding PR, newer than those already there.
func (o *Onboarding) AddPR(pr onboard.PR) {
	o.g.mu.Lock()
	defer o.g.mu.Unlock()
	o.prs = append([]onboard.PR{pr}, o.prs...)
}

// SetBranch sets the App's branch (nil: none).
func (o *Onboarding) SetBranch(b *fixpr.Branch) {
	o.g.mu.Lock()
	defer o.g.mu.Unlock()
	o.branch = b
}

// PRs returns the onboarding PRs, newest first.
func (o *Onboarding) PRs() []onboard.PR {
	o.g.mu.Lock()
	defer o.g.mu.Unlock()
	return append([]onboard.PR(nil), o.prs...)
}

// Pushes returns what was pushed to the onboarding branch, in order.
func (o *Onboarding) Pushes() []fixpr.Push {
	o.g.mu.Lock()
	defer o.g.mu.Unlock()
	return append([]fixpr.Push(nil), o.pushes...)
}

func (o *Onboarding) PullRequests(_ context.Context, repo issues.Repo, _ string) ([]onboard.PR, error) {
	o.g.mu.Lock()
	defer o.g.mu.Unlock()
	if err := errors.Join(o.g.call("OnboardPullRequests"), o.g.check(repo)); err != nil {
		return nil, err
	}
	return append([]onboard.PR(nil), o.prs...), nil
}

func (o *Onboarding) Branch(_ context.Context, repo issues.Repo, _, _, _ string) (*fixpr.Branch, error) {
	o.g.mu.Lock()
	defer o.g.mu.Unlock()
	if err := errors.Join(o.g.call("OnboardBranch"), o.g.check(repo)); err != nil {
		return nil, err
	}
	if o.branch == nil {
		return nil, nil
	}
	b := *o.branch
	return &b, nil
}

func (o *Onboarding) Push(_ context.Context, repo issues.Repo, p fixpr.Push) error {
	o.g.mu.Lock()
	defer o.g.mu.Unlock()
	if err := errors.Join(o.g.call("OnboardPush"), o.g.check(repo)); err != nil {
		return err
	}
	if p.Branch == o.g.repo.DefaultBranch {
		return fmt.Errorf("runnertest: push to the default branch %s", p.Branch)
	}
	o.pushes = append(o.pushes, p)
	files := map[string][]byte{}
	for _, f := range p.Files {
		files[f.Path] = f.Content
	}
	o.branch = &fixpr.Branch{Head: fmt.Sprintf("onboard-%d", len(o.pushes)), Parent: p.Base, OnlyApp: true, Files: files}
	return nil
}

func (o *Onboarding) CreatePR(_ context.Context, repo issues.Repo, pr fixpr.NewPR) (int, error) {
	o.g.mu.Lock()
	defer o.g.mu.Unlock()
	if err := errors.Join(o.g.call("OnboardCreatePR"), o.g.check(repo)); err != nil {
		return 0, err
	}
	n := 100 + len(o.prs)
	o.prs = append([]onboard.PR{{Number: n, Open: true, Body: pr.Body}}, o.prs...)
	return n, nil
}

func (o *Onboarding) UpdatePR(_ context.Context, repo issues.Repo, u fixpr.PRUpdate) error {
	o.g.mu.Lock()
	defer o.g.mu.Unlock()
	if err := errors.Join(o.g.call("OnboardUpdatePR"), o.g.check(repo)); err != nil {
		return err
	}
	for i := range o.prs {
		if o.prs[i].Number == u.Number {
			o.prs[i].Body = u.Body
			return nil
		}
	}
	return fmt.Errorf("pull request #%d: %w", u.Number, ErrNotFound)
}

func (o *Onboarding) Comment(_ context.Context, repo issues.Repo, number int, body string) error {
	o.g.mu.Lock()
	defer o.g.mu.Unlock()
	if err := errors.Join(o.g.call("OnboardComment"), o.g.check(repo)); err != nil {
		return err
	}
	o.g.comments[number] = append(o.g.comments[number], body)
	return nil
}
