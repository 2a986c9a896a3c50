package main

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/ghfake"
)

// lockedBuffer is an output stream read while the command still runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var pageLine = regexp.MustCompile(`Open (http://127\.0\.0\.1:\d+/) in a browser`)

// TestRegisterCommand runs `bot register` against the fake GitHub, plays
// the browser and checks what the person sees and the file bot serve reads.
func TestRegisterCommand(t *testing.T) {
	gh := ghfake.New(t)
	out := filepath.Join(t.TempDir(), "pindrift.yml")
	var stdout, stderr lockedBuffer
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"register", "--webhook-url", "https://pindrift.example.com/api/github/hook",
			"--org", "acme", "--name", "pindrift-acme", "--github-url", gh.URL(), "--github-api-url", gh.APIURL(),
			"--out", out, "--timeout", "1m"}, &stdout, &stderr)
	}()
	var page string
	for deadline := time.Now().Add(20 * time.Second); page == ""; {
		if m := pageLine.FindStringSubmatch(stdout.String()); m != nil {
			page = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("no page URL printed; stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		} else {
			time.Sleep(10 * time.Millisecond)
		}
	}

	// The browser: load the page, post its form to GitHub, follow GitHub's
	// redirect back to the callback.
	resp, err := http.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	resp.Body.Close()
	action := regexp.MustCompile(`<form action="([^"]+)"`).FindStringSubmatch(body.String())
	manifest := regexp.MustCompile(`name="manifest" value="([^"]+)"`).FindStringSubmatch(body.String())
	if action == nil || manifest == nil {
		t.Fatalf("no manifest form on the page:\n%s", body.String())
	}
	unescape := strings.NewReplacer("&amp;", "&", "&#34;", `"`, "&quot;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">")
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noRedirect.PostForm(unescape.Replace(action[1]), url.Values{"manifest": {unescape.Replace(manifest[1])}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = http.Get(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	select {
	case c := <-code:
		if c != exitOK {
			t.Fatalf("exit %d; stderr:\n%s", c, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("bot register did not exit after the callback")
	}
	apps := gh.CreatedApps()
	if len(apps) != 1 || apps[0].Owner != "acme" || !apps[0].Org {
		t.Fatalf("created apps: %+v", apps)
	}
	appURL := gh.URL() + "/apps/pindrift-acme"
	for _, want := range []string{
		`Created the GitHub App "pindrift-acme"`, appURL,
		"Install the App on your repositories: " + appURL + "/installations/new",
		"Then run: bot serve --config " + out,
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("configuration file: %v, %v", fi, err)
	}

	// A second run refuses to replace the file, before serving anything.
	c, so, se := runBot(t, "register", "--webhook-url", "https://pindrift.example.com/api/github/hook",
		"--github-url", gh.URL(), "--out", out)
	if c != exitBadInput || so != "" || !strings.Contains(se, "already exists") || !strings.Contains(se, "--force") {
		t.Errorf("second run: exit %d, stdout %q, stderr %q", c, so, se)
	}
}

func TestRegisterCommandNeedsWebhookURL(t *testing.T) {
	c, _, se := runBot(t, "register", "--out", filepath.Join(t.TempDir(), "p.yml"))
	if c != exitBadInput || !strings.Contains(se, "--webhook-url is required") {
		t.Errorf("exit %d, stderr %q", c, se)
	}
}
