package ghfake

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

// postManifest submits a manifest form as the browser does and returns the
// redirect GitHub answers with.
func postManifest(t *testing.T, s *Server, path, manifest string) *http.Response {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(s.URL()+path, url.Values{"manifest": {manifest}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

const testManifest = `{"name":"Pin Drift Test","url":"https://example.com","hook_attributes":{"url":"https://hooks.example/hook","active":true},
"redirect_url":"http://127.0.0.1:9/callback?keep=1","public":false,"default_permissions":{"contents":"write"},"default_events":["push"]}`

func TestManifestFlowCreatesAnApp(t *testing.T) {
	tests := map[string]struct {
		path      string
		owner     string
		ownerType string
	}{
		"user":         {path: "/settings/apps/new?state=abc", owner: DefaultManifestUser, ownerType: "User"},
		"organization": {path: "/organizations/acme/settings/apps/new?state=abc", owner: "acme", ownerType: "Organization"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := New(t)
			resp := postManifest(t, s, tc.path, testManifest)
			if resp.StatusCode != http.StatusFound {
				t.Fatalf("POST answered %d, want 302", resp.StatusCode)
			}
			loc, err := url.Parse(resp.Header.Get("Location"))
			if err != nil {
				t.Fatal(err)
			}
			q := loc.Query()
			if loc.Host != "127.0.0.1:9" || loc.Path != "/callback" || q.Get("state") != "abc" || q.Get("keep") != "1" || q.Get("code") == "" {
				t.Fatalf("redirect to %s", loc)
			}
			cfg, _, err := s.Client().Apps.CompleteAppManifest(context.Background(), q.Get("code"))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.GetSlug() != "pin-drift-test" || cfg.GetOwner().GetLogin() != tc.owner || cfg.GetOwner().GetType() != tc.ownerType ||
				!strings.HasPrefix(cfg.GetPEM(), "-----BEGIN RSA PRIVATE KEY-----") || cfg.GetWebhookSecret() == "" ||
				cfg.GetHTMLURL() != s.URL()+"/apps/pin-drift-test" {
				t.Errorf("conversion: %+v", cfg)
			}
			if _, resp, err := s.Client().Apps.CompleteAppManifest(context.Background(), q.Get("code")); err == nil || resp.StatusCode != http.StatusNotFound {
				t.Errorf("a second conversion of the same code: %v; want 404", err)
			}
			apps := s.CreatedApps()
			if len(apps) != 1 || !apps[0].Converted || apps[0].Manifest["name"] != "Pin Drift Test" {
				t.Errorf("created apps: %+v", apps)
			}
		})
	}
}

func TestManifestFlowRefusesAnInvalidManifest(t *testing.T) {
	s := New(t)
	resp := postManifest(t, s, "/settings/apps/new?state=x", `{"url":"https://example.com","redirect_url":"/relative"}`)
	if resp.StatusCode != http.StatusUnprocessableEntity || len(s.CreatedApps()) != 0 {
		t.Errorf("invalid manifest answered %d and created %d apps", resp.StatusCode, len(s.CreatedApps()))
	}
}

func signJWT(t *testing.T, key *rsa.PrivateKey, iss string, iat, exp time.Time) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.RegisteredClaims{
		Issuer: iss, IssuedAt: jwt.NewNumericDate(iat), ExpiresAt: jwt.NewNumericDate(exp)}).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestAppJWTIsVerifiedOnceTheAppHasAKey(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	id := "42" // the fake's default App id
	tests := map[string]struct {
		token  string
		status int
	}{
		"valid":              {signJWT(t, key, id, now.Add(-30*time.Second), now.Add(2*time.Minute)), http.StatusOK},
		"another key":        {signJWT(t, other, id, now.Add(-30*time.Second), now.Add(2*time.Minute)), http.StatusUnauthorized},
		"another issuer":     {signJWT(t, key, "43", now.Add(-30*time.Second), now.Add(2*time.Minute)), http.StatusUnauthorized},
		"expired":            {signJWT(t, key, id, now.Add(-20*time.Minute), now.Add(-10*time.Minute)), http.StatusUnauthorized},
		"too long":           {signJWT(t, key, id, now, now.Add(time.Hour)), http.StatusUnauthorized},
		"not a JWT":          {"a.b.c", http.StatusUnauthorized},
		"HS256 with the key": {hs256(t, id), http.StatusUnauthorized},
	}
	s := New(t)
	s.SetAppKey(&key.PublicKey)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, resp, err := s.ClientWithToken(tc.token).Apps.Get(context.Background(), "")
			if resp == nil {
				t.Fatalf("GET /app: %v", err)
			}
			if resp.StatusCode != tc.status {
				t.Errorf("GET /app answered %d (%v), want %d", resp.StatusCode, err, tc.status)
			}
		})
	}

	t.Run("no key accepts any JWT", func(t *testing.T) {
		s.SetAppKey(nil)
		if _, _, err := s.ClientWithToken("a.b.c").Apps.Get(context.Background(), ""); err != nil {
			t.Errorf("without a key: %v", err)
		}
	})
}

// hs256 signs with a shared secret, which must not pass for RS256.
func hs256(t *testing.T, iss string) string {
	t.Helper()
	now := time.Now()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.RegisteredClaims{Issuer: iss,
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Minute))}).SignedString([]byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// The conversion's key is the one the fake then checks JWTs against.
func TestConvertedAppKeyAuthenticates(t *testing.T) {
	s := New(t)
	resp := postManifest(t, s, "/settings/apps/new", testManifest)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	cfg, _, err := s.Client().Apps.CompleteAppManifest(context.Background(), loc.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode([]byte(cfg.GetPEM()))
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tok := signJWT(t, key, strconv.FormatInt(cfg.GetID(), 10), now.Add(-30*time.Second), now.Add(time.Minute))
	app, _, err := s.ClientWithToken(tok).Apps.Get(context.Background(), "")
	if err != nil || app.GetID() != cfg.GetID() || app.GetSlug() != cfg.GetSlug() {
		t.Errorf("GET /app as the new App: %+v, %v", app, err)
	}
	if s.AppLogin() != "pin-drift-test[bot]" {
		t.Errorf("app login %q", s.AppLogin())
	}
}
