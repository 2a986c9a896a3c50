package deploy_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/pindrift/pindrift/internal/config"
)

const (
	composeFile  = "docker-compose.yml"
	composeEnvEx = "compose/pindrift.env.example"
	composeCaddy = "compose/Caddyfile"
	appService   = "pindrift"
	dbService    = "postgres"
	proxyService = "webhook"
)

// loadCompose loads deploy/docker-compose.yml as `docker compose` would,
// with compose-go: interpolated with env, validated against the Compose
// specification's schema, normalised.
func loadCompose(t *testing.T, env map[string]string) (*types.Project, error) {
	t.Helper()
	abs, err := filepath.Abs(composeFile)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		t.Fatal(err)
	}
	return loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  filepath.Dir(abs),
		ConfigFiles: []types.ConfigFile{{Filename: abs, Content: data}},
		Environment: env,
	})
}

// composeEnv is deploy/.env as an operator fills it from the example,
// read by compose-go's own .env parser.
func composeEnv(t *testing.T) map[string]string {
	t.Helper()
	env, err := dotenv.GetEnvFromFile(nil, []string{composeEnvEx})
	if err != nil {
		t.Fatalf("%s: %v", composeEnvEx, err)
	}
	// The key is a Compose secret (a file); as a variable it would show
	// in `docker inspect` and every process's environment.
	if _, ok := env["GITHUB_APP_PRIVATE_KEY"]; ok {
		t.Errorf("%s sets GITHUB_APP_PRIVATE_KEY; the key belongs in the secret file", composeEnvEx)
	}
	return env
}

func TestComposeRefusesMissingSecrets(t *testing.T) {
	env := composeEnv(t)
	for name := range env {
		t.Run(name, func(t *testing.T) {
			without := map[string]string{}
			for k, v := range env {
				if k != name {
					without[k] = v
				}
			}
			_, err := loadCompose(t, without)
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("without %s: err = %v, want one naming it", name, err)
			}
		})
	}
}

func TestCompose(t *testing.T) {
	env := composeEnv(t)
	p, err := loadCompose(t, env)
	if err != nil {
		t.Fatalf("%s: %v", composeFile, err)
	}
	app, err := p.GetService(appService)
	if err != nil {
		t.Fatal(err)
	}
	db, err := p.GetService(dbService)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("two replicas after a healthy PostgreSQL", func(t *testing.T) {
		if app.Deploy == nil || app.Deploy.Replicas == nil || *app.Deploy.Replicas != 2 {
			t.Errorf("%s replicas = %+v, want 2", appService, app.Deploy)
		}
		if dep, ok := app.DependsOn[dbService]; !ok || dep.Condition != types.ServiceConditionHealthy {
			t.Errorf("%s depends_on %s = %+v, want condition service_healthy", appService, dbService, dep)
		}
		if db.HealthCheck == nil || !slices.Contains(db.HealthCheck.Test, "pg_isready") {
			t.Errorf("%s healthcheck %+v does not run pg_isready", dbService, db.HealthCheck)
		}
		if !slices.ContainsFunc(db.Volumes, func(v types.ServiceVolumeConfig) bool {
			return v.Type == types.VolumeTypeVolume && v.Target == "/var/lib/postgresql/data"
		}) {
			t.Errorf("%s keeps its data in no named volume: %+v", dbService, db.Volumes)
		}
	})

	t.Run("read-only root with a tmpfs", func(t *testing.T) {
		if !app.ReadOnly {
			t.Error("read_only is not set")
		}
		if !slices.Contains(app.Tmpfs, "/tmp") {
			t.Errorf("tmpfs %q lacks /tmp", app.Tmpfs)
		}
		if !slices.Contains(app.CapDrop, "ALL") {
			t.Errorf("cap_drop %q lacks ALL", app.CapDrop)
		}
	})

	t.Run("private key from a Compose secret", func(t *testing.T) {
		file := secretFile(t, p, app)
		if want, _ := filepath.Abs(composeKeyFile); file != want {
			t.Errorf("the key's secret is read from %s, want %s (git-ignored by deploy/.gitignore)", file, want)
		}
		if !slices.Contains(strings.Fields(readFile(t, ".gitignore")), "/secrets/") {
			t.Error("deploy/.gitignore does not keep deploy/secrets/ out of git")
		}
	})

	t.Run("health check and Caddy waits for it", func(t *testing.T) {
		if app.HealthCheck == nil {
			t.Fatalf("%s has no healthcheck", appService)
		}
		args := healthArgs(t, composeFile+" "+appService, app.HealthCheck.Test, parseImage(t).binary)
		env := map[string]string{}
		for k, v := range app.Environment {
			if v != nil {
				env[k] = *v
			}
		}
		port, timeout := healthTarget(t, args, env)
		cfg := composeConfig(t, p, app)
		if port != cfg.HTTP.Port {
			t.Errorf("the healthcheck asks port %d; the server listens on %d", port, cfg.HTTP.Port)
		}
		if app.HealthCheck.Timeout == nil || time.Duration(*app.HealthCheck.Timeout) <= timeout {
			t.Errorf("healthcheck timeout %v does not exceed bot healthcheck's own %s", app.HealthCheck.Timeout, timeout)
		}
		proxy, err := p.GetService(proxyService)
		if err != nil {
			t.Fatal(err)
		}
		if dep, ok := proxy.DependsOn[appService]; !ok || dep.Condition != types.ServiceConditionHealthy {
			t.Errorf("%s depends_on %s = %+v, want condition service_healthy", proxyService, appService, dep)
		}
	})

	t.Run("configuration loads, on the compose PostgreSQL", func(t *testing.T) {
		names := serverEnvNames()
		for k := range app.Environment {
			if !names[k] {
				t.Errorf("environment %s is not a variable bot serve reads", k)
			}
		}
		args := []string(app.Command)
		cfg := composeConfig(t, p, app)
		u, err := url.Parse(cfg.Database.URL)
		if err != nil || cfg.Database.Driver() != "postgres" || u.Hostname() != dbService {
			t.Errorf("database %s is not the %s service", cfg.Database, dbService)
		}
		if pu := db.Environment["POSTGRES_USER"]; u == nil || pu == nil || u.User.Username() != *pu {
			t.Errorf("database user %q is not POSTGRES_USER", u.User.Username())
		}
		if pw, _ := u.User.Password(); pw != env["PINDRIFT_DB_PASSWORD"] {
			t.Error("the database URL's password is not PINDRIFT_DB_PASSWORD")
		}
		if !slices.Contains(app.Expose, strconv.Itoa(cfg.HTTP.Port)) {
			t.Errorf("expose %q lacks server.port %d", app.Expose, cfg.HTTP.Port)
		}

		grace := 30 * time.Second
		if v, ok := flagValue(args, "grace"); ok {
			if grace, err = time.ParseDuration(v); err != nil {
				t.Fatal(err)
			}
		}
		if app.StopGracePeriod == nil || time.Duration(*app.StopGracePeriod) <= grace {
			t.Errorf("stop_grace_period %v does not exceed --grace %s", app.StopGracePeriod, grace)
		}

		// The single entry point sends to every replica, on the port
		// the server listens on.
		proxy, err := p.GetService(proxyService)
		if err != nil {
			t.Fatal(err)
		}
		caddy := readFile(t, composeCaddy)
		for _, want := range []string{"name " + appService, "port " + strconv.Itoa(cfg.HTTP.Port), "handle /api/github/hook"} {
			if !regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(want) + `\b`).MatchString(caddy) {
				t.Errorf("%s lacks %q", composeCaddy, want)
			}
		}
		m := regexp.MustCompile(`(?m)^:(\d+) \{`).FindStringSubmatch(caddy)
		if m == nil || len(proxy.Ports) != 1 || strconv.Itoa(int(proxy.Ports[0].Target)) != m[1] {
			t.Errorf("%s publishes %+v, but Caddy listens on %v", proxyService, proxy.Ports, m)
		}
	})
}

// composeKeyFile is where the operator puts the App's key for Compose.
const composeKeyFile = "secrets/private-key.pem"

// secretFile is the host file of the Compose secret that the service's
// GITHUB_APP_PRIVATE_KEY_FILE names.
func secretFile(t *testing.T, p *types.Project, app types.ServiceConfig) string {
	t.Helper()
	v := app.Environment["GITHUB_APP_PRIVATE_KEY_FILE"]
	if v == nil {
		t.Fatalf("%s does not set GITHUB_APP_PRIVATE_KEY_FILE", appService)
	}
	for _, s := range app.Secrets {
		target := s.Target
		if target == "" {
			target = "/run/secrets/" + s.Source
		} else if !strings.HasPrefix(target, "/") {
			target = "/run/secrets/" + target
		}
		if target == *v {
			sc, ok := p.Secrets[s.Source]
			if !ok || sc.File == "" {
				t.Fatalf("secret %s is not a file secret", s.Source)
			}
			return sc.File
		}
	}
	t.Fatalf("GITHUB_APP_PRIVATE_KEY_FILE=%s is no secret of %s (%+v)", *v, appService, app.Secrets)
	return ""
}

// composeConfig loads the service's mounted configuration with its
// environment, the secret file replaced by a test key.
func composeConfig(t *testing.T, p *types.Project, app types.ServiceConfig) *config.Server {
	t.Helper()
	env := map[string]string{}
	for k, v := range app.Environment {
		if v != nil {
			env[k] = *v
		}
	}
	secretFile(t, p, app) // the variable names a mounted secret
	env["GITHUB_APP_PRIVATE_KEY_FILE"] = writeFile(t, "private-key.pem", testKey(t))
	args := []string(app.Command)
	cfgPath, ok := flagValue(args, "config")
	if !ok {
		t.Fatalf("command %q has no --config", args)
	}
	var file string
	for _, c := range app.Configs {
		if c.Target == cfgPath {
			file = p.Configs[c.Source].File
		}
	}
	if file == "" {
		t.Fatalf("no config is mounted at %s", cfgPath)
	}
	cfg, err := loadServer(t, file, env)
	if err != nil {
		t.Fatalf("%s with the service's environment: %v", file, err)
	}
	return cfg
}
