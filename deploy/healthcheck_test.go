package deploy_test

import (
	"net/url"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/config"
)

// The image has no shell, so every container health check here must run
// `bot healthcheck` in exec form, with flags the binary accepts, asking
// the port the server listens on within the check's own timeout.

// botHealthTimeout is `bot healthcheck`'s --timeout when not given.
const botHealthTimeout = 3 * time.Second

// healthArgs checks a Docker health check's test, ["CMD", binary, args...],
// and returns the arguments bot is run with.
func healthArgs(t *testing.T, what string, test []string, binary string) []string {
	t.Helper()
	if len(test) < 3 || test[0] != "CMD" {
		t.Fatalf("%s: health check %q is not in exec form [\"CMD\", %q, \"healthcheck\"]: the image has no shell for CMD-SHELL", what, test, binary)
	}
	if test[1] != binary {
		t.Errorf("%s: health check runs %s, not the image's binary %s", what, test[1], binary)
	}
	args := slices.Clone(test[2:])
	if args[0] != "healthcheck" {
		t.Errorf("%s: health check runs bot %s, want bot healthcheck", what, args[0])
	}
	// --help after the flags: cobra parses them all first, so an unknown
	// flag or a bad value fails here.
	if out, err := exec.Command(bot(t), append(slices.Clone(args), "--help")...).CombinedOutput(); err != nil {
		t.Errorf("%s: bot %s --help: %v\n%s", what, strings.Join(args, " "), err, out)
	}
	return args
}

// healthPort is the port `bot args` asks with env as its environment, and
// its --timeout.
func healthTarget(t *testing.T, args []string, env map[string]string) (port int, timeout time.Duration) {
	t.Helper()
	timeout = botHealthTimeout
	if v, ok := flagValue(args, "timeout"); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("bot %s: --timeout: %v", strings.Join(args, " "), err)
		}
		timeout = d
	}
	if v, ok := flagValue(args, "url"); ok {
		u, err := url.Parse(v)
		if err != nil {
			t.Fatalf("bot %s: --url: %v", strings.Join(args, " "), err)
		}
		p, err := strconv.Atoi(u.Port())
		if err != nil {
			p = 80
		}
		return p, timeout
	}
	if v, ok := env["PINDRIFT_SERVER_PORT"]; ok {
		p, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("PINDRIFT_SERVER_PORT %q: %v", v, err)
		}
		return p, timeout
	}
	return config.DefaultPort, timeout
}
