package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v62/github"
)

// installationGone reports an error no retry of the job can fix: GitHub
// refused to mint the installation's token with 401, 403 or 404 (the
// installation is suspended or deleted, or the App's access to it was
// revoked), or answered 404 for the repository itself (it was deleted or
// removed from the installation). Such jobs end instead of retrying for
// days. Rate limits (a 403 or 429 with Retry-After or an exhausted
// quota) and 5xx are passing troubles and stay retryable.
func installationGone(err error) bool {
	var he *ghinstallation.HTTPError
	if errors.As(err, &he) && he.Response != nil {
		return permanentStatus(he.Response)
	}
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil && er.Response.Request != nil &&
		er.Response.StatusCode == http.StatusNotFound {
		return isRepositoryPath(er.Response.Request.URL.Path)
	}
	return false
}

func permanentStatus(resp *http.Response) bool {
	switch resp.StatusCode {
	case http.StatusUnauthorized, http.StatusNotFound:
		return true
	case http.StatusForbidden:
		// A secondary rate limit says so with Retry-After, a primary one
		// with X-RateLimit-Remaining: 0.
		return resp.Header.Get("Retry-After") == "" && resp.Header.Get("X-RateLimit-Remaining") != "0"
	}
	return false
}

// isRepositoryPath reports an API path of the form .../repos/OWNER/REPO,
// the repository itself rather than something in it (a 404 for a file or
// a release is the run's business, not a sign the repository is gone).
func isRepositoryPath(p string) bool {
	i := strings.LastIndex(p, "/repos/")
	if i < 0 {
		return false
	}
	parts := strings.Split(strings.Trim(p[i+len("/repos/"):], "/"), "/")
	return len(parts) == 2 && parts[0] != "" && parts[1] != ""
}
