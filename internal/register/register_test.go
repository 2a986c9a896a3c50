package register_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
	"golang.org/x/net/html"

	"github.com/pindrift/pindrift"
	"github.com/pindrift/pindrift/internal/config"
	"github.com/pindrift/pindrift/internal/ghfake"
	"github.com/pindrift/pindrift/internal/register"
)

const webhookURL = "https://pindrift.example.com/api/github/hook"

// noRedirect is a browser that shows each redirect to the test.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// started is a registration running in the background.
type started struct {
	page string
	done chan error
	res  register.Result
}

// start runs register.Run against the fake and waits for its page.
func start(t *testing.T, gh *ghfake.Server, o register.Options) *started {
	t.Helper()
	m, err := pindrift.AppManifest()
	if err != nil {
		t.Fatal(err)
	}
	o.Manifest = m
	if o.WebhookURL == "" {
		o.WebhookURL = webhookURL
	}
	o.GitHubURL, o.APIURL = gh.URL(), gh.APIURL()
	if o.Out == "" {
		o.Out = filepath.Join(t.TempDir(), "pindrift.yml")
	}
	ready := make(chan string, 1)
	o.Ready = func(u string) { ready <- u }
	s := &started{done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() {
		res, err := register.Run(ctx, o)
		s.res = res
		s.done <- err
	}()
	select {
	case s.page = <-ready:
	case err := <-s.done:
		t.Fatalf("register stopped before serving its page: %v", err)
	}
	return s
}

func (s *started) wait(t *testing.T) (register.Result, error) {
	t.Helper()
	select {
	case err := <-s.done:
		return s.res, err
	case <-time.After(30 * time.Second):
		t.Fatal("register did not return within 30 s")
		return register.Result{}, nil
	}
}

// form reads the page's form as a browser would: its action and fields.
func form(t *testing.T, page string) (string, url.Values) {
	t.Helper()
	resp, err := http.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s answered %d", page, resp.StatusCode)
	}
	doc, err := html.Parse(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var action string
	fields := url.Values{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
			}
			switch n.Data {
			case "form":
				if !strings.EqualFold(attr["method"], "post") {
					t.Errorf("form method %q, want post", attr["method"])
				}
				action = attr["action"]
			case "input":
				fields.Add(attr["name"], attr["value"])
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if action == "" {
		t.Fatal("the page has no form")
	}
	return action, fields
}

// submit posts the page's form to GitHub and returns where GitHub
// redirects the browser.
func submit(t *testing.T, page string) string {
	t.Helper()
	action, fields := form(t, page)
	resp, err := noRedirect.PostForm(action, fields)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("GitHub answered the form with %d", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := noRedirect.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// clearGitHubEnv keeps the developer's GITHUB_* settings out of LoadServer.
func clearGitHubEnv(t *testing.T) {
	for _, v := range config.ServerEnv() {
		if strings.HasPrefix(v.Name, "GITHUB_") {
			t.Setenv(v.Name, "")
			os.Unsetenv(v.Name)
		}
	}
}

func TestRegisterCreatesAWorkingApp(t *testing.T) {
	tests := map[string]struct {
		org       string
		name      string
		wantPath  string
		wantOwner string
	}{
		"user account": {name: "pindrift-test", wantPath: "/settings/apps/new", wantOwner: ghfake.DefaultManifestUser},
		"organization": {org: "acme", wantPath: "/organizations/acme/settings/apps/new", wantOwner: "acme"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clearGitHubEnv(t)
			gh := ghfake.New(t)
			s := start(t, gh, register.Options{Org: tc.org, Name: tc.name})

			action, fields := form(t, s.page)
			if u, _ := url.Parse(action); u.Path != tc.wantPath || u.Query().Get("state") == "" {
				t.Errorf("the form posts to %s; want %s?state=...", action, tc.wantPath)
			}
			callback := submit(t, s.page)
			if code, body := get(t, callback); code != http.StatusOK || !strings.Contains(body, "/installations/new") {
				t.Errorf("callback answered %d:\n%s", code, body)
			}
			res, err := s.wait(t)
			if err != nil {
				t.Fatal(err)
			}

			// GitHub got app.yml with this run's webhook and callback.
			apps := gh.CreatedApps()
			if len(apps) != 1 {
				t.Fatalf("%d apps created", len(apps))
			}
			m := apps[0].Manifest
			hook := m["hook_attributes"].(map[string]any)
			wantName := tc.name
			if wantName == "" {
				wantName = "pindrift"
			}
			if hook["url"] != webhookURL || !strings.HasPrefix(m["redirect_url"].(string), strings.TrimSuffix(s.page, "/")+register.CallbackPath) ||
				m["name"] != wantName || apps[0].Owner != tc.wantOwner || fields.Get("manifest") == "" {
				t.Errorf("submitted manifest %v by %s", m, apps[0].Owner)
			}
			if res.InstallURL != res.HTMLURL+"/installations/new" || res.HTMLURL != gh.URL()+"/apps/"+apps[0].Slug || res.AppID != apps[0].ID {
				t.Errorf("result %+v", res)
			}

			fi, err := os.Stat(res.ConfigPath)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("%s has mode %v, want 0600", res.ConfigPath, fi.Mode().Perm())
			}
			cfg, err := config.LoadServer(res.ConfigPath, func(string) (string, bool) { return "", false })
			if err != nil {
				t.Fatalf("bot serve could not load the written configuration: %v", err)
			}
			authenticates(t, gh, cfg, apps[0])
		})
	}
}

// authenticates shows the configuration works as the App: go-githubapp
// signs a JWT with the written key (which the fake verifies), reads the App
// and gets an installation token that lists repositories.
func authenticates(t *testing.T, gh *ghfake.Server, cfg *config.Server, app ghfake.CreatedApp) {
	t.Helper()
	if cfg.GitHub.App.IntegrationID != app.ID || cfg.GitHub.App.WebhookSecret != app.WebhookSecret {
		t.Errorf("configuration has app %d and another webhook secret; want %d", cfg.GitHub.App.IntegrationID, app.ID)
	}
	cc, err := githubapp.NewDefaultCachingClientCreator(cfg.GitHub)
	if err != nil {
		t.Fatal(err)
	}
	appClient, err := cc.NewAppClient()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	got, _, err := appClient.Apps.Get(ctx, "")
	if err != nil || got.GetSlug() != app.Slug {
		t.Fatalf("GET /app with the written key: %v, %v", got.GetSlug(), err)
	}
	gh.AddInstallation(ghfake.Installation{ID: 501, Account: "acme"})
	gh.AddRepo(ghfake.Repo{Owner: "acme", Name: "images", InstallationID: 501})
	inst, err := cc.NewInstallationClient(501)
	if err != nil {
		t.Fatal(err)
	}
	repos, _, err := inst.Apps.ListRepos(ctx, nil)
	if err != nil || len(repos.Repositories) != 1 {
		t.Fatalf("list repositories with an installation token: %v", err)
	}
	if tokens := gh.Matching(http.MethodPost, "/app/installations/501/access_tokens"); len(tokens) != 1 || tokens[0].Status != http.StatusCreated {
		t.Errorf("installation token requests: %+v", tokens)
	}
}

func TestRegisterRefusesAForeignCallback(t *testing.T) {
	gh := ghfake.New(t)
	s := start(t, gh, register.Options{})
	callback, err := url.Parse(submit(t, s.page))
	if err != nil {
		t.Fatal(err)
	}
	forged := *callback
	q := forged.Query()
	q.Set("state", "not-the-state")
	forged.RawQuery = q.Encode()
	if code, body := get(t, forged.String()); code != http.StatusBadRequest || !strings.Contains(body, "state does not match") {
		t.Errorf("a callback with another state answered %d:\n%s", code, body)
	}
	if n := gh.Count(http.MethodPost, "/app-manifests/{code}/conversions"); n != 0 {
		t.Errorf("a forged callback exchanged the code (%d requests)", n)
	}
	// The refusal does not end the run: the real redirect still works.
	if code, _ := get(t, callback.String()); code != http.StatusOK {
		t.Errorf("the genuine callback answered %d", code)
	}
	if _, err := s.wait(t); err != nil {
		t.Fatal(err)
	}
	if resp, err := noRedirect.Get(callback.String()); err == nil {
		resp.Body.Close()
		t.Errorf("the callback still answers (%d) after the run ended", resp.StatusCode)
	}
}

func TestRegisterExplainsAnUnknownCode(t *testing.T) {
	gh := ghfake.New(t)
	s := start(t, gh, register.Options{})
	callback, err := url.Parse(submit(t, s.page))
	if err != nil {
		t.Fatal(err)
	}
	// Someone else exchanged the code first: GitHub answers 404.
	if _, _, err := gh.Client().Apps.CompleteAppManifest(context.Background(), callback.Query().Get("code")); err != nil {
		t.Fatal(err)
	}
	if code, _ := get(t, callback.String()); code != http.StatusBadGateway {
		t.Errorf("callback answered %d, want 502", code)
	}
	res, err := s.wait(t)
	if err == nil || !strings.Contains(err.Error(), "404") || !strings.Contains(err.Error(), "run bot register again") {
		t.Errorf("error %v; want one saying GitHub does not know the code", err)
	}
	if _, statErr := os.Stat(res.ConfigPath); !errors.Is(statErr, os.ErrNotExist) && res.ConfigPath != "" {
		t.Errorf("a configuration was written after a failed exchange: %v", statErr)
	}
}

func TestRegisterExistingFile(t *testing.T) {
	gh := ghfake.New(t)
	out := filepath.Join(t.TempDir(), "pindrift.yml")
	if err := os.WriteFile(out, []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := pindrift.AppManifest()
	if err != nil {
		t.Fatal(err)
	}
	_, err = register.Run(context.Background(), register.Options{WebhookURL: webhookURL, GitHubURL: gh.URL(), APIURL: gh.APIURL(),
		Out: out, Manifest: m, Ready: func(string) { t.Error("the page was served for a result that cannot be written") }})
	if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), "--force") {
		t.Errorf("error %v; want one refusing to replace %s without --force", err, out)
	}
	if b, _ := os.ReadFile(out); string(b) != "# mine\n" {
		t.Errorf("the existing file changed: %q", b)
	}

	clearGitHubEnv(t)
	s := start(t, gh, register.Options{Out: out, Force: true})
	get(t, submit(t, s.page))
	if _, err := s.wait(t); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("replaced file: %v, %v", fi, err)
	}
	if _, err := config.LoadServer(out, func(string) (string, bool) { return "", false }); err != nil {
		t.Errorf("replaced file does not load: %v", err)
	}
}

func TestRegisterPageIsForThisBrowserOnly(t *testing.T) {
	gh := ghfake.New(t)
	s := start(t, gh, register.Options{})
	resp, err := http.Get(s.page)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for header, want := range map[string]string{
		"Content-Security-Policy": "form-action 'self' " + gh.URL(),
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-store",
	} {
		if got := resp.Header.Get(header); !strings.Contains(got, want) {
			t.Errorf("%s: %q; want it to contain %q", header, got, want)
		}
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("the page allows cross-origin reads: %q", got)
	}
	// A site whose name re-resolves to 127.0.0.1 reaches the page with its
	// own Host header and must not read the state.
	req, err := http.NewRequest(http.MethodGet, s.page, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "attacker.example:80"
	rebound, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(rebound.Body)
	rebound.Body.Close()
	if rebound.StatusCode != http.StatusMisdirectedRequest || strings.Contains(string(body), "state=") {
		t.Errorf("page for another Host answered %d:\n%s", rebound.StatusCode, body)
	}
}

func TestRegisterEnds(t *testing.T) {
	m, err := pindrift.AppManifest()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("timeout", func(t *testing.T) {
		_, err := register.Run(context.Background(), register.Options{WebhookURL: webhookURL, Manifest: m,
			Out: filepath.Join(t.TempDir(), "p.yml"), Timeout: time.Millisecond})
		if err == nil || !strings.Contains(err.Error(), "no GitHub App was created within 1ms") || !strings.Contains(err.Error(), "--timeout") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("interrupted", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		_, err := register.Run(ctx, register.Options{WebhookURL: webhookURL, Manifest: m,
			Out: filepath.Join(t.TempDir(), "p.yml"), Ready: func(string) { cancel() }})
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stopped before") {
			t.Errorf("error %v", err)
		}
	})
}

func TestRegisterRefusesBadOptions(t *testing.T) {
	m, err := pindrift.AppManifest()
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		o    register.Options
		want string
	}{
		"no webhook URL":     {register.Options{}, "--webhook-url is required"},
		"relative webhook":   {register.Options{WebhookURL: "/api/github/hook"}, `--webhook-url "/api/github/hook" is not an absolute`},
		"public listen":      {register.Options{WebhookURL: webhookURL, Listen: "0.0.0.0:0"}, "loopback"},
		"name too long":      {register.Options{WebhookURL: webhookURL, Name: strings.Repeat("p", 35)}, "GitHub allows 34"},
		"bad organization":   {register.Options{WebhookURL: webhookURL, Org: "acme/../x"}, "not an organization login"},
		"bad GitHub web URL": {register.Options{WebhookURL: webhookURL, GitHubURL: "github.com"}, "--github-url"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			tc.o.Manifest = m
			tc.o.Out = filepath.Join(t.TempDir(), "p.yml")
			_, err := register.Run(context.Background(), tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v; want one containing %q", err, tc.want)
			}
		})
	}
}
