package probe

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/config"
)

// TestPortVariableIsTheServers keeps the health check's default port on
// the variable bot serve reads, so that setting it moves both.
func TestPortVariableIsTheServers(t *testing.T) {
	t.Parallel()
	i := slices.IndexFunc(config.ServerEnv(), func(v config.EnvVar) bool { return v.Name == PortEnv })
	if i < 0 || config.ServerEnv()[i].Key != "server.port" {
		t.Errorf("%s is not the variable that sets server.port in config.ServerEnv()", PortEnv)
	}
}

func TestDefaultURL(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		env     map[string]string
		want    string
		wantErr string
	}{
		"unset":        {want: "http://127.0.0.1:8080/readyz"},
		"set":          {env: map[string]string{PortEnv: "9191"}, want: "http://127.0.0.1:9191/readyz"},
		"not a port":   {env: map[string]string{PortEnv: "http"}, wantErr: `PINDRIFT_SERVER_PORT: "http" is not a port number`},
		"out of range": {env: map[string]string{PortEnv: "70000"}, wantErr: "is not a port number"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := DefaultURL(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error %v, want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("DefaultURL = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestGetRefusesAnAddressThatIsNotLoopback: Get checks the address it
// dials, which is where a name ParseURL cannot judge has resolved, and
// refuses it before connecting.
func TestGetRefusesANameThatIsNotLoopback(t *testing.T) {
	t.Parallel()
	// The Control hook sees the dialled address; 192.0.2.1 (TEST-NET-1)
	// stands for what a hostile name would resolve to.
	u, err := url.Parse("http://192.0.2.1:9/readyz")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Get(t.Context(), u, 2*time.Second, false)
	if !errors.Is(err, ErrNotLoopback) {
		t.Errorf("Get = %v, want ErrNotLoopback", err)
	}
}
