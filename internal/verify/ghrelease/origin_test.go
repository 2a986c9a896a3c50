package ghrelease

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
)

func TestSameOrigin(t *testing.T) {
	t.Parallel()
	tests := map[[2]string]bool{
		{"https://api.github.com/", "https://api.github.com/repos"}:           true,
		{"https://api.github.com/", "https://API.github.com:443/x"}:           true,
		{"http://127.0.0.1:80/api/", "http://127.0.0.1/api/x"}:                true,
		{"https://api.github.com/", "http://api.github.com/"}:                 false,
		{"https://api.github.com/", "https://api.github.com:8443/"}:           false,
		{"http://127.0.0.1:3000/api-v3/", "http://127.0.0.1:3001/"}:           false,
		{"https://api.github.com/", "https://objects.githubusercontent.com/"}: false,
	}
	for in, want := range tests {
		a, _ := url.Parse(in[0])
		b, _ := url.Parse(in[1])
		if got := SameOrigin(a, b); got != want {
			t.Errorf("SameOrigin(%s, %s) = %v, want %v", in[0], in[1], got, want)
		}
	}
}

// alwaysToken adds a token to every request, as ghinstallation does.
type alwaysToken struct{ next http.RoundTripper }

func (a alwaysToken) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "token ghs_secret")
	return a.next.RoundTrip(req)
}

// TestOriginGuardOnRedirect: the API redirects to another port of the same
// host. net/http forwards Authorization there, and a credential transport
// above the guard adds it again; the guard removes it either way. The
// token-only transport of the CLI (--github-token) does the same.
func TestOriginGuardOnRedirect(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var seen []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
	}))
	t.Cleanup(other.Close)
	var apiSaw []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		apiSaw = append(apiSaw, r.Header.Get("Authorization"))
		mu.Unlock()
		http.Redirect(w, r, other.URL+"/stolen", http.StatusFound)
	}))
	t.Cleanup(api.Close)
	apiURL, _ := url.Parse(api.URL + "/api-v3/")
	clients := map[string]*http.Client{
		"installation (token added to every request)": {Transport: alwaysToken{OriginGuard(apiURL, http.DefaultTransport)}},
		"CLI token": {Transport: &tokenTransport{base: http.DefaultTransport, api: apiURL, token: "ghs_secret"}},
	}
	for label, c := range clients {
		resp, err := c.Get(api.URL + "/api-v3/repos/o/r")
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		resp.Body.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 {
		t.Fatalf("the other port got %d requests, want 2", len(seen))
	}
	for i, a := range seen {
		if a != "" {
			t.Errorf("request %d to another port carried Authorization %q", i, a)
		}
	}
	for i, a := range apiSaw {
		if a == "" {
			t.Errorf("API request %d lacked the token", i)
		}
	}
}
