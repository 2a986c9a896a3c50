package ghrelease

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/verify"
)

// access is how one repository's releases are read.
type access struct {
	gh *github.Client
	// hidden: read without credentials, for a repository more private
	// than the one verified or one its credentials cannot see; a failure
	// then says nothing of what exists.
	hidden bool
	// private: read with credentials and not public, so its download URLs
	// serve nobody else and the bytes come through the API.
	private bool
}

type accessEntry struct {
	once sync.Once
	acc  access
	err  error
}

// rank orders visibilities from the most open; an unknown one counts as
// private.
func rank(visibility string) int {
	switch strings.ToLower(visibility) {
	case "public":
		return 0
	case "internal":
		return 1
	}
	return 2
}

// accessFor decides, once per run and repository, which client reads the
// releases of owner/repo.
func (r *Resolver) accessFor(ctx context.Context, owner, repo string) (access, error) {
	if r.home == nil {
		return access{gh: r.gh}, nil
	}
	if strings.EqualFold(owner, r.home.Owner) && strings.EqualFold(repo, r.home.Name) {
		return access{gh: r.gh, private: rank(r.home.Visibility) > 0}, nil
	}
	key := strings.ToLower(owner + "/" + repo)
	r.mu.Lock()
	e, ok := r.access[key]
	if !ok {
		e = &accessEntry{}
		r.access[key] = e
	}
	r.mu.Unlock()
	e.once.Do(func() { e.acc, e.err = r.lookUpAccess(ctx, owner, repo) })
	if e.err != nil {
		// A failed lookup is not remembered: a later pin may try again.
		r.mu.Lock()
		if r.access[key] == e {
			delete(r.access, key)
		}
		r.mu.Unlock()
	}
	return e.acc, e.err
}

func (r *Resolver) lookUpAccess(ctx context.Context, owner, repo string) (access, error) {
	info, resp, err := r.gh.Repositories.Get(ctx, owner, repo)
	if resp != nil && resp.StatusCode == http.StatusNotFound {
		// Not visible to the credentials: whatever it is, only what
		// anyone may read is read.
		return access{gh: r.anon, hidden: true}, nil
	}
	if err != nil {
		return access{}, fmt.Errorf("GitHub API repos/%s/%s: %w", url.PathEscape(owner), url.PathEscape(repo), err)
	}
	vis := info.GetVisibility()
	if vis == "" {
		vis = "public"
		if info.GetPrivate() {
			vis = "private"
		}
	}
	if rank(vis) > rank(r.home.Visibility) {
		return access{gh: r.anon, hidden: true}, nil
	}
	return access{gh: r.gh, private: rank(vis) > 0}, nil
}

// notVisible turns a failed lookup of a hidden repository into the one
// answer that is the same whatever exists: missing repository, release or
// asset, or one the anonymous client may not read. Failures that say
// nothing about the repository (rate limits, server errors, timeouts)
// stay as they are so that they are retried.
func (a access) notVisible(ru releaseURL, err error) error {
	if !a.hidden {
		return err
	}
	var er *github.ErrorResponse
	if errors.Is(err, verify.ErrAssetNotFound) ||
		errors.As(err, &er) && er.Response != nil && (er.Response.StatusCode == http.StatusUnauthorized || er.Response.StatusCode == http.StatusForbidden) && !isRateLimit(err) {
		return fmt.Errorf("%s/%s: %w", ru.owner, ru.repo, verify.ErrNotVisible)
	}
	return err
}

func isRateLimit(err error) bool {
	var rl *github.RateLimitError
	var ab *github.AbuseRateLimitError
	return errors.As(err, &rl) || errors.As(err, &ab)
}

// directURL asks the API where the bytes of a private asset are: GitHub
// answers with a redirect to a short-lived signed URL that needs no
// credentials, which is not followed here (the token stays with the API).
// go-github's DownloadReleaseAsset is not used: it swaps the shared
// client's CheckRedirect, racing with the run's other requests.
func directURL(ctx context.Context, gh *github.Client, ru releaseURL, id int64) (string, error) {
	path := fmt.Sprintf("repos/%s/%s/releases/assets/%d", url.PathEscape(ru.owner), url.PathEscape(ru.repo), id)
	req, err := gh.NewRequest(http.MethodGet, path, nil)
	if err != nil {
		return "", fmt.Errorf("GitHub API %s: %w", path, err)
	}
	req = req.WithContext(ctx)
	req.Header.Set("Accept", "application/octet-stream")
	hc := gh.Client() // a copy
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("GitHub API %s: %w", path, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusFound, http.StatusMovedPermanently, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		loc, err := resp.Location()
		if err != nil {
			return "", fmt.Errorf("GitHub API %s: redirect: %w", path, err)
		}
		return loc.String(), nil
	case http.StatusOK:
		return "", fmt.Errorf("GitHub API %s served the bytes instead of a download URL", path)
	}
	if err := github.CheckResponse(resp); err != nil {
		return "", fmt.Errorf("GitHub API %s: %w", path, err)
	}
	return "", fmt.Errorf("GitHub API %s: HTTP %s", path, resp.Status)
}
