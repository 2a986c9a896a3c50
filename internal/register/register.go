package register

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift"
)

// Defaults for Options left empty.
const (
	DefaultGitHubURL = "https://github.com"
	DefaultListen    = "127.0.0.1:0"
	DefaultOut       = "pindrift.yml"
	DefaultTimeout   = 10 * time.Minute
	// exchangeTimeout bounds the code exchange with GitHub.
	exchangeTimeout = 30 * time.Second
)

// CallbackPath is where GitHub redirects the browser after the App is created.
const CallbackPath = "/callback"

// Options say which App to create and where its configuration goes.
type Options struct {
	// WebhookURL is where GitHub will deliver the App's webhooks: the
	// public address of `bot serve`, ending in /api/github/hook.
	WebhookURL string
	// Org creates the App under this organization instead of the
	// signed-in user.
	Org string
	// Name overrides the manifest's name (App names are unique on GitHub).
	Name string
	// GitHubURL is GitHub's web address; APIURL its REST API, by default
	// https://api.github.com/ for github.com and {GitHubURL}/api/v3/ for
	// GitHub Enterprise Server.
	GitHubURL, APIURL string
	// Listen is the loopback address of the local page and callback.
	Listen string
	// Out is the server configuration file to write; Force replaces an
	// existing one.
	Out   string
	Force bool
	// Timeout bounds the whole flow, waiting for the person included.
	Timeout time.Duration
	// Manifest is the App to create, normally pindrift.AppManifest().
	Manifest pindrift.Manifest
	// HTTPClient makes the code exchange (nil: a client with a timeout).
	HTTPClient *http.Client
	// Ready is called with the local page's URL once it is served, to
	// print it or open a browser.
	Ready func(pageURL string)
}

// Result is the App that was created.
type Result struct {
	AppID      int64
	Slug, Name string
	HTMLURL    string
	// InstallURL is where the App is installed on repositories.
	InstallURL string
	// ConfigPath is the configuration file written.
	ConfigPath string
}

// OptionError means the options cannot work; nothing was started.
type OptionError struct{ Err error }

func (e *OptionError) Error() string { return e.Err.Error() }
func (e *OptionError) Unwrap() error { return e.Err }

// Run serves the local page, waits for GitHub's redirect, exchanges the
// code and writes the configuration. It returns when the App is created,
// ctx ends (Ctrl-C) or the timeout passes.
func Run(ctx context.Context, o Options) (Result, error) {
	o, err := o.withDefaults()
	if err != nil {
		return Result{}, &OptionError{err}
	}
	if err := checkOut(o.Out, o.Force); err != nil {
		return Result{}, &OptionError{err}
	}
	l, err := listenLoopback(o.Listen)
	if err != nil {
		return Result{}, &OptionError{err}
	}
	state, err := newState()
	if err != nil {
		l.Close()
		return Result{}, err
	}
	f := &flow{o: o, state: state, host: l.Addr().String(), done: make(chan outcome, 1)}
	f.manifest, err = f.manifestJSON()
	if err != nil {
		l.Close()
		return Result{}, &OptionError{err}
	}

	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	srv := &http.Server{Handler: f.routes(ctx), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	defer func() {
		// The result is known; the page's last answer may still be on its
		// way to the browser, so let it finish briefly.
		stop, cancelStop := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancelStop()
		_ = srv.Shutdown(stop) // a connection cut short loses only a status page
	}()

	pageURL := "http://" + f.host + "/"
	if o.Ready != nil {
		o.Ready(pageURL)
	}
	select {
	case out := <-f.done:
		return out.result, out.err
	case err := <-served:
		return Result{}, fmt.Errorf("local page on %s stopped: %w", f.host, err)
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return Result{}, fmt.Errorf("no GitHub App was created within %s: open %s, click \"Create GitHub App\" on GitHub, or allow longer with --timeout", o.Timeout, pageURL)
		}
		return Result{}, fmt.Errorf("stopped before a GitHub App was created: %w", ctx.Err())
	}
}

func (o Options) withDefaults() (Options, error) {
	if o.GitHubURL == "" {
		o.GitHubURL = DefaultGitHubURL
	}
	o.GitHubURL = strings.TrimSuffix(o.GitHubURL, "/")
	if err := absoluteURL("--github-url", o.GitHubURL); err != nil {
		return o, err
	}
	if o.APIURL == "" {
		o.APIURL = defaultAPIURL(o.GitHubURL)
	}
	if !strings.HasSuffix(o.APIURL, "/") {
		o.APIURL += "/"
	}
	if err := absoluteURL("--github-api-url", o.APIURL); err != nil {
		return o, err
	}
	if o.WebhookURL == "" {
		return o, errors.New("--webhook-url is required: the public URL where GitHub will deliver webhooks to `bot serve`, e.g. https://pindrift.example.com/api/github/hook")
	}
	if err := absoluteURL("--webhook-url", o.WebhookURL); err != nil {
		return o, err
	}
	if o.Org != "" && strings.ContainsAny(o.Org, "/?#% ") {
		return o, fmt.Errorf("--org %q is not an organization login", o.Org)
	}
	if o.Listen == "" {
		o.Listen = DefaultListen
	}
	if o.Out == "" {
		o.Out = DefaultOut
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: exchangeTimeout}
	}
	return o, nil
}

func absoluteURL(flag, s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s %q is not an absolute http or https URL", flag, s)
	}
	return nil
}

// defaultAPIURL is GitHub's REST API for a web URL: api.github.com for
// github.com, /api/v3/ on a GitHub Enterprise Server.
func defaultAPIURL(web string) string {
	if u, err := url.Parse(web); err == nil && strings.EqualFold(u.Host, "github.com") {
		return "https://api.github.com/"
	}
	return web + "/api/v3/"
}

// checkOut refuses to start a flow whose result could not be written.
func checkOut(path string, force bool) error {
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return fmt.Errorf("--out %s is a directory", path)
	case err == nil && !force:
		return fmt.Errorf("%s already exists; choose another --out or replace it with --force", path)
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("--out: %w", err)
	}
	return nil
}

// listenLoopback listens only on a loopback address: the callback receives
// a code worth the App's private key to whoever exchanges it first.
func listenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--listen %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("--listen %q: the local page must listen on a loopback address such as 127.0.0.1:0", addr)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--listen: %w", err)
	}
	return l, nil
}

func newState() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("state: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// exchange trades the code for the App's credentials. GitHub needs no
// authentication for it: the one-time code is the credential.
func (o Options) exchange(ctx context.Context, code string) (*github.AppConfig, error) {
	gh := github.NewClient(o.HTTPClient)
	base, err := url.Parse(o.APIURL)
	if err != nil {
		return nil, err
	}
	gh.BaseURL = base
	ctx, cancel := context.WithTimeout(ctx, exchangeTimeout)
	defer cancel()
	cfg, resp, err := gh.Apps.CompleteAppManifest(ctx, code)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return nil, fmt.Errorf("exchange the code from GitHub at %s: GitHub does not know it (404): codes work once and expire after an hour; run bot register again", o.APIURL)
		}
		return nil, fmt.Errorf("exchange the code from GitHub at %s: %w", o.APIURL, err)
	}
	if cfg.GetID() == 0 || cfg.GetPEM() == "" || cfg.GetWebhookSecret() == "" {
		return nil, fmt.Errorf("exchange the code from GitHub at %s: the answer lacks the App's id, private key or webhook secret", o.APIURL)
	}
	return cfg, nil
}
