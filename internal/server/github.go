package server

import (
	"context"
	"crypto/rsa"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v4"
	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/pindrift/pindrift/internal/ghhttp"
	"github.com/pindrift/pindrift/internal/verify/ghrelease"
)

// gitHub holds the App's credentials: app-level and installation clients
// and the App's own identity. Installation clients are kept for the life
// of the process with their tokens (renewed near expiry, and at once when
// GitHub answers 401), and every client's GETs go through one cache of
// conditional requests, so what a job read is revalidated for free by the
// next job or the next attempt of the same one.
type gitHub struct {
	cc githubapp.ClientCreator
	// anon reads the API without credentials: releases of repositories
	// more private than the one verified.
	anon *github.Client

	appID   int64
	key     *rsa.PrivateKey
	apiURL  *url.URL
	base    http.RoundTripper // to the API origin only
	metrics func(http.RoundTripper) http.RoundTripper
	cache   *ghhttp.Cache

	mu      sync.Mutex
	login   string
	clients map[int64]*github.Client
}

// maxInstallationClients bounds the clients kept; past it they are all
// dropped and made again as needed (each then mints a new token), which
// keeps the bookkeeping trivial for a fleet far larger than the bound.
const maxInstallationClients = 4096

func newGitHub(cfg githubapp.Config, m *Metrics) (*gitHub, error) {
	api, err := url.Parse(cfg.V3APIURL)
	if err != nil {
		return nil, fmt.Errorf("GitHub API URL: %w", err)
	}
	// The guard sits under ghinstallation, which adds the token to every
	// request it sees, redirects included: the App's JWT and installation
	// tokens leave for the API's origin (scheme, host and port) only.
	base := ghrelease.OriginGuard(api, http.DefaultTransport.(*http.Transport).Clone())
	key, err := jwt.ParseRSAPrivateKeyFromPEM([]byte(cfg.App.PrivateKey))
	if err != nil {
		return nil, fmt.Errorf("GitHub App private key: %w", err)
	}
	cache := ghhttp.NewCache(0, 0)
	cc, err := githubapp.NewDefaultCachingClientCreator(cfg,
		githubapp.WithClientUserAgent("pindrift"),
		githubapp.WithClientTimeout(clientTimeout),
		githubapp.WithClientMiddleware(waitOut, m.Transport),
		githubapp.WithTransport(base))
	if err != nil {
		return nil, fmt.Errorf("GitHub App client: %w", err)
	}
	anon := github.NewClient(&http.Client{Timeout: clientTimeout, Transport: waitOut(m.Transport(cache.Transport("anonymous", base)))})
	if !strings.HasSuffix(api.Path, "/") {
		api.Path += "/"
	}
	anon.BaseURL = api
	anon.UserAgent = "pindrift (anonymous)"
	return &gitHub{cc: cc, anon: anon, appID: cfg.App.IntegrationID, key: key, apiURL: api, base: base,
		metrics: m.Transport, cache: cache, clients: map[int64]*github.Client{}}, nil
}

// clientTimeout bounds each API request, waits for secondary rate
// limits included.
const clientTimeout = 30 * time.Second

// waitOut waits out short secondary rate limits in place (ghhttp's
// defaults: up to 10 s, 3 times a request).
func waitOut(next http.RoundTripper) http.RoundTripper {
	return ghhttp.WaitOutSecondaryLimits(next, 0, 0)
}

// Installation returns a client acting as installation id.
func (g *gitHub) Installation(_ context.Context, id int64) (*github.Client, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c, ok := g.clients[id]; ok {
		return c, nil
	}
	if len(g.clients) >= maxInstallationClients {
		clear(g.clients)
	}
	// Outermost first: a secondary rate limit is waited out around
	// everything, so the retry gets a token again; metrics count each
	// try (a revalidated 200 is marked); the token sits above the cache
	// so a new token revalidates what the old one stored; the guard keeps
	// both the token and the App's JWT on the API origin.
	tr := waitOut(g.metrics(ghhttp.NewInstallationTransport(g.appID, g.key, id, g.apiURL.String(),
		g.cache.Transport(fmt.Sprintf("installation:%d", id), g.base))))
	c := github.NewClient(&http.Client{Timeout: clientTimeout, Transport: tr})
	c.BaseURL = g.apiURL
	c.UserAgent = fmt.Sprintf("pindrift (installation: %d)", id)
	g.clients[id] = c
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

// Installations lists the App's installations that are not suspended
// on GitHub and that skip does not name (suspended or deleted as the
// installation events recorded them).
func (g *gitHub) Installations(ctx context.Context, skip func(installationID int64) bool) ([]int64, error) {
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
			// A suspended installation's tokens are refused: listing its
			// repositories would fail.
			if inst.SuspendedAt != nil || skip(inst.GetID()) {
				zerolog.Ctx(ctx).Info().Int64(githubapp.LogKeyInstallationID, inst.GetID()).Msg("installation suspended or deleted; left out of the sweep")
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
