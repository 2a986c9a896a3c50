package ghrelease

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/verify"
)

// Defaults for Options fields left empty.
const (
	DefaultAPIURL   = "https://api.github.com/"
	DefaultWebURL   = "https://github.com/"
	DefaultTimeout  = 30 * time.Second
	maxReleasePages = 10
)

// Options configure a Resolver.
type Options struct {
	// APIURL is the REST API root, e.g. https://ghe.example.com/api/v3/.
	APIURL string
	// WebURL is the root that release download URLs start with.
	WebURL string
	// Token authenticates API requests; it is sent to the API host only.
	Token string
	// Client, if set, is used for API requests instead of one built from
	// APIURL and Token: a GitHub App's installation client, which carries
	// its own rotating token to the API host only.
	Client *github.Client
	// Timeout bounds each API request.
	Timeout time.Duration
	// Home, when set, is the repository being verified: Client then reads
	// the releases of Home and of repositories no more private than it
	// (public < internal < private), and Anonymous, a client without
	// credentials for the same API, reads every other repository's. So a
	// pin in a public repository learns nothing about a private one, not
	// even whether it exists.
	Home      *Repo
	Anonymous *github.Client
}

// Repo is a repository and its visibility ("public", "internal" or
// "private").
type Repo struct {
	Owner, Name, Visibility string
}

// Resolver looks release assets up by their download URL.
type Resolver struct {
	gh   *github.Client
	anon *github.Client
	home *Repo
	web  *url.URL

	mu       sync.Mutex
	releases map[string]*releaseEntry // by owner/repo/tag
	access   map[string]*accessEntry  // by owner/repo, in lower case
}

var _ verify.AssetResolver = (*Resolver)(nil)

type releaseEntry struct {
	once sync.Once
	rel  *release
	err  error
}

// New returns a Resolver for opts.
func New(opts Options) (*Resolver, error) {
	api, err := rootURL(opts.APIURL, DefaultAPIURL)
	if err != nil {
		return nil, fmt.Errorf("GitHub API URL: %w", err)
	}
	web, err := rootURL(opts.WebURL, DefaultWebURL)
	if err != nil {
		return nil, fmt.Errorf("GitHub web URL: %w", err)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	r := &Resolver{web: web, releases: map[string]*releaseEntry{}, access: map[string]*accessEntry{}}
	if opts.Home != nil {
		if opts.Client == nil || opts.Anonymous == nil {
			return nil, errors.New("ghrelease: Home needs both Client and Anonymous")
		}
		home := *opts.Home
		r.home, r.anon = &home, opts.Anonymous
	}
	if opts.Client != nil {
		r.gh = opts.Client
		return r, nil
	}
	base := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 15 * time.Second}).DialContext,
		TLSHandshakeTimeout:   15 * time.Second,
		ResponseHeaderTimeout: opts.Timeout,
		ForceAttemptHTTP2:     true,
	}
	hc := &http.Client{
		Timeout:   opts.Timeout,
		Transport: &tokenTransport{base: base, api: api, token: opts.Token},
	}
	r.gh = github.NewClient(hc)
	r.gh.BaseURL = api
	return r, nil
}

func rootURL(s, def string) (*url.URL, error) {
	if s == "" {
		s = def
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) URL", s)
	}
	return u, nil
}

// release and asset hold the fields go-github v62 lacks (digest,
// immutable) next to the ones it has.
type release struct {
	ID        int64   `json:"id"`
	TagName   string  `json:"tag_name"`
	Draft     bool    `json:"draft"`
	Immutable bool    `json:"immutable"`
	Assets    []asset `json:"assets"`
}

type asset struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Size      int64     `json:"size"`
	UpdatedAt time.Time `json:"updated_at"`
	Digest    string    `json:"digest"`
	Uploader  struct {
		Login string `json:"login"`
	} `json:"uploader"`
}

// releaseURL is a parsed {web}/{owner}/{repo}/releases/download/{tag}/{name}.
type releaseURL struct{ owner, repo, tag, name string }

// Location is where a release download URL points.
type Location struct {
	Owner, Repo, Tag, Name string
	// ReleasePage is the release's web page.
	ReleasePage string
}

// Locate reads a release download URL of this resolver's host; ok is
// false for any other URL.
func (r *Resolver) Locate(raw string) (Location, bool) {
	ru, ok := r.parse(raw)
	if !ok {
		return Location{}, false
	}
	page := r.web.JoinPath(ru.owner, ru.repo, "releases", "tag", ru.tag)
	return Location{Owner: ru.owner, Repo: ru.repo, Tag: ru.tag, Name: ru.name, ReleasePage: page.String()}, true
}

func (r *Resolver) parse(raw string) (releaseURL, bool) {
	// GitHub ignores a download URL's query string, and the fragment is
	// never sent: URLs differing only there name the same asset.
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != r.web.Scheme || !strings.EqualFold(u.Host, r.web.Host) {
		return releaseURL{}, false
	}
	rest, ok := strings.CutPrefix(u.EscapedPath(), r.web.EscapedPath())
	if !ok {
		return releaseURL{}, false
	}
	seg := strings.Split(rest, "/")
	if len(seg) < 6 || seg[2] != "releases" || seg[3] != "download" {
		return releaseURL{}, false
	}
	var out []string
	for _, s := range append(seg[:2:2], strings.Join(seg[4:len(seg)-1], "/"), seg[len(seg)-1]) {
		d, err := url.PathUnescape(s)
		if err != nil || d == "" {
			return releaseURL{}, false
		}
		out = append(out, d)
	}
	return releaseURL{out[0], out[1], out[2], out[3]}, true
}

// Resolve implements verify.AssetResolver.
func (r *Resolver) Resolve(ctx context.Context, raw string) (verify.AssetInfo, error) {
	ru, ok := r.parse(raw)
	if !ok {
		return verify.AssetInfo{}, verify.ErrNotReleaseAsset
	}
	acc, err := r.accessFor(ctx, ru.owner, ru.repo)
	if err != nil {
		return verify.AssetInfo{}, err
	}
	rel, err := r.release(ctx, acc, ru)
	if err != nil {
		return verify.AssetInfo{}, err
	}
	a, err := r.findAsset(ctx, acc, ru, rel)
	if err != nil {
		return verify.AssetInfo{}, err
	}
	info := verify.AssetInfo{ID: a.ID, Size: a.Size, UpdatedAt: a.UpdatedAt, Uploader: a.Uploader.Login, Immutable: rel.Immutable}
	if hex, ok := strings.CutPrefix(a.Digest, "sha256:"); ok && len(hex) == 64 {
		info.SHA256 = strings.ToLower(hex)
	}
	if acc.private {
		info.DirectURL = func(ctx context.Context) (string, error) { return directURL(ctx, acc.gh, ru, a.ID) }
	}
	return info, nil
}

// AssetKey implements verify.AssetKeyer: owner and repository names are
// case-insensitive on GitHub, tags and asset names are not.
func (r *Resolver) AssetKey(raw string) (string, bool) {
	ru, ok := r.parse(raw)
	if !ok {
		return "", false
	}
	return strings.ToLower(ru.owner+"/"+ru.repo) + "/" + ru.tag + "/" + ru.name, true
}

// release looks a release up once per run, however many of its assets
// are pinned.
func (r *Resolver) release(ctx context.Context, acc access, ru releaseURL) (*release, error) {
	key := strings.ToLower(ru.owner+"/"+ru.repo) + "/" + ru.tag
	r.mu.Lock()
	e, ok := r.releases[key]
	if !ok {
		e = &releaseEntry{}
		r.releases[key] = e
	}
	r.mu.Unlock()
	e.once.Do(func() { e.rel, e.err = r.fetchRelease(ctx, acc, ru) })
	if e.err != nil && !errors.Is(e.err, verify.ErrAssetNotFound) {
		// Let a later asset of the same release try again.
		r.mu.Lock()
		if r.releases[key] == e {
			delete(r.releases, key)
		}
		r.mu.Unlock()
	}
	return e.rel, e.err
}

func (r *Resolver) fetchRelease(ctx context.Context, acc access, ru releaseURL) (*release, error) {
	repo := "repos/" + url.PathEscape(ru.owner) + "/" + url.PathEscape(ru.repo)
	var rel release
	err := r.get(ctx, acc, repo+"/releases/tags/"+url.PathEscape(ru.tag), &rel, nil)
	if err == nil {
		return &rel, nil
	}
	if acc.hidden {
		// Without credentials a draft is never listed, and a 404 may
		// hide a private repository: say nothing more.
		return nil, acc.notVisible(ru, err)
	}
	if !errors.Is(err, verify.ErrAssetNotFound) {
		return nil, err
	}
	if r.home != nil && rank(r.home.Visibility) == 0 {
		// Only those who can push see a draft; a public repository's check
		// runs and issues are for everyone, so a draft is as absent as a
		// release that does not exist.
		return nil, fmt.Errorf("%s/%s: no release tagged %q: %w", ru.owner, ru.repo, ru.tag, verify.ErrAssetNotFound)
	}
	// Drafts have no tag yet, so the by-tag lookup misses them; the
	// release list shows them to a token with push access.
	for page := 1; page <= maxReleasePages; page++ {
		var list []release
		var next int
		if err := r.get(ctx, acc, fmt.Sprintf("%s/releases?per_page=100&page=%d", repo, page), &list, &next); err != nil {
			return nil, err
		}
		for i := range list {
			if list[i].TagName == ru.tag {
				return &list[i], nil
			}
		}
		if next == 0 {
			break
		}
	}
	return nil, fmt.Errorf("%s/%s: no release tagged %q: %w", ru.owner, ru.repo, ru.tag, verify.ErrAssetNotFound)
}

func (r *Resolver) findAsset(ctx context.Context, acc access, ru releaseURL, rel *release) (*asset, error) {
	for i := range rel.Assets {
		if rel.Assets[i].Name == ru.name {
			return &rel.Assets[i], nil
		}
	}
	// The release payload may list only the first assets of a big release.
	if len(rel.Assets) >= 100 {
		repo := "repos/" + url.PathEscape(ru.owner) + "/" + url.PathEscape(ru.repo)
		for page := 1; ; page++ {
			var list []asset
			var next int
			if err := r.get(ctx, acc, fmt.Sprintf("%s/releases/%d/assets?per_page=100&page=%d", repo, rel.ID, page), &list, &next); err != nil {
				return nil, acc.notVisible(ru, err)
			}
			for i := range list {
				if list[i].Name == ru.name {
					return &list[i], nil
				}
			}
			if next == 0 {
				break
			}
		}
	}
	return nil, fmt.Errorf("%s/%s release %q has no asset %q: %w", ru.owner, ru.repo, ru.tag, ru.name, verify.ErrAssetNotFound)
}

// get decodes one API response into v, mapping 404 to ErrAssetNotFound.
func (r *Resolver) get(ctx context.Context, acc access, path string, v any, next *int) error {
	req, err := acc.gh.NewRequest(http.MethodGet, path, nil)
	if err != nil {
		return fmt.Errorf("GitHub API %s: %w", path, err)
	}
	resp, err := acc.gh.Do(ctx, req, v)
	if resp != nil && resp.StatusCode == http.StatusNotFound {
		return fmt.Errorf("GitHub API %s: %w", path, verify.ErrAssetNotFound)
	}
	if err != nil {
		return fmt.Errorf("GitHub API %s: %w", path, err)
	}
	if next != nil {
		*next = resp.NextPage
	}
	return nil
}
