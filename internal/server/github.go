package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/verify/ghrelease"
)

// gitHub holds the App's credentials: app-level and installation clients
// (go-githubapp caches installation tokens and renews them) and the App's
// own identity.
type gitHub struct {
	cc githubapp.ClientCreator
	// anon reads the API without credentials: releases of repositories
	// more private than the one verified.
	anon *github.Client

	mu    sync.Mutex
	login string
}

func newGitHub(cfg githubapp.Config, m *Metrics) (*gitHub, error) {
	api, err := url.Parse(cfg.V3APIURL)
	if err != nil {
		return nil, fmt.Errorf("GitHub API URL: %w", err)
	}
	// The guard sits under ghinstallation, which adds the token to every
	// request it sees, redirects included: the App's JWT and installation
	// tokens leave for the API's origin (scheme, host and port) only.
	base := ghrelease.OriginGuard(api, http.DefaultTransport.(*http.Transport).Clone())
	cc, err := githubapp.NewDefaultCachingClientCreator(cfg,
		githubapp.WithClientUserAgent("pindrift"),
		githubapp.WithClientTimeout(30*time.Second),
		githubapp.WithClientMiddleware(m.Transport),
		githubapp.WithTransport(base))
	if err != nil {
		return nil, fmt.Errorf("GitHub App client: %w", err)
	}
	anon := github.NewClient(&http.Client{Timeout: 30 * time.Second, Transport: m.Transport(base)})
	if !strings.HasSuffix(api.Path, "/") {
		api.Path += "/"
	}
	anon.BaseURL = api
	anon.UserAgent = "pindrift (anonymous)"
	return &gitHub{cc: cc, anon: anon}, nil
}

// Installation returns a client acting as installation id.
func (g *gitHub) Installation(_ context.Context, id int64) (*github.Client, error) {
	c, err := g.cc.NewInstallationClient(id)
	if err != nil {
		return nil, fmt.Errorf("installation %d client: %w", id, err)
	}
	return c, nil
}

// AppLogin is the App's bot user, e.g. "pindrift[bot]": issues and PRs it
// opened are recognised by it.
func (g *gitHub) AppLogin(ctx context.Context) (string, error) {
	g.mu.Lock()
	login := g.login
	g.mu.Unlock()
	if login != "" {
		return login, nil
	}
	app, err := g.app(ctx)
	if err != nil {
		return "", err
	}
	login = app.GetSlug() + "[bot]"
	g.mu.Lock()
	g.login = login
	g.mu.Unlock()
	return login, nil
}

// app reads the App itself, proving the credentials work.
func (g *gitHub) app(ctx context.Context) (*github.App, error) {
	c, err := g.cc.NewAppClient()
	if err != nil {
		return nil, fmt.Errorf("GitHub App client: %w", err)
	}
	app, _, err := c.Apps.Get(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("GitHub App credentials: %w", err)
	}
	return app, nil
}

// Repo is a repository the App is installed on.
type Repo struct {
	InstallationID int64
	Owner, Name    string
}

// Installations lists the App's installations that are not suspended.
func (g *gitHub) Installations(ctx context.Context) ([]int64, error) {
	appClient, err := g.cc.NewAppClient()
	if err != nil {
		return nil, fmt.Errorf("GitHub App client: %w", err)
	}
	var out []int64
	opts := &github.ListOptions{PerPage: 100}
	for {
		insts, resp, err := appClient.Apps.ListInstallations(ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("list installations: %w", err)
		}
		for _, inst := range insts {
			if inst.SuspendedAt != nil {
				zerolog.Ctx(ctx).Info().Int64("installation_id", inst.GetID()).
					Time("suspended_at", inst.GetSuspendedAt().Time).Msg("installation suspended; left out of the sweep")
				continue
			}
			out = append(out, inst.GetID())
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// InstallationRepos lists the repositories of one installation.
func (g *gitHub) InstallationRepos(ctx context.Context, id int64) ([]Repo, error) {
	c, err := g.Installation(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []Repo
	opts := &github.ListOptions{PerPage: 100}
	for {
		repos, resp, err := c.Apps.ListRepos(ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("list repositories of installation %d: %w", id, err)
		}
		for _, r := range repos.Repositories {
			out = append(out, Repo{InstallationID: id, Owner: r.GetOwner().GetLogin(), Name: r.GetName()})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}
