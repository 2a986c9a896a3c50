package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/server"
)

func TestInstallationGone(t *testing.T) {
	t.Parallel()
	mint := func(status int, header http.Header) error {
		he := &ghinstallation.HTTPError{Message: "received non 2xx response status", InstallationID: 9,
			Response: &http.Response{StatusCode: status, Header: header}}
		// As go-github returns it: inside the *url.Error of the request.
		return fmt.Errorf("list repositories of installation 9: %w", &url.Error{Op: "Get", URL: "https://api/x", Err: he})
	}
	api := func(status int, path string) error {
		u, _ := url.Parse("https://api.github.com" + path)
		return fmt.Errorf("get: %w", &github.ErrorResponse{Response: &http.Response{StatusCode: status,
			Request: &http.Request{Method: http.MethodGet, URL: u}}})
	}
	tests := map[string]struct {
		err  error
		want bool
	}{
		"token refused: suspended":           {mint(http.StatusForbidden, http.Header{}), true},
		"token refused: deleted":             {mint(http.StatusNotFound, http.Header{}), true},
		"token refused: bad credentials":     {mint(http.StatusUnauthorized, http.Header{}), true},
		"token: secondary rate limit":        {mint(http.StatusForbidden, http.Header{"Retry-After": {"5"}}), false},
		"token: primary rate limit":          {mint(http.StatusForbidden, http.Header{"X-Ratelimit-Remaining": {"0"}}), false},
		"token: GitHub down":                 {mint(http.StatusBadGateway, http.Header{}), false},
		"repository gone":                    {api(http.StatusNotFound, "/repos/acme/images"), true},
		"repository gone, enterprise prefix": {api(http.StatusNotFound, "/api/v3/repos/acme/images"), true},
		"a file in the repository is gone":   {api(http.StatusNotFound, "/repos/acme/images/contents/x.py"), false},
		"repository 5xx":                     {api(http.StatusInternalServerError, "/repos/acme/images"), false},
		"revoked token on a call":            {api(http.StatusUnauthorized, "/repos/acme/images"), false},
		"network":                            {fmt.Errorf("get: %w", &url.Error{Op: "Get", URL: "x", Err: fmt.Errorf("refused")}), false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := server.InstallationGone(tc.err); got != tc.want {
				t.Errorf("InstallationGone(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}
