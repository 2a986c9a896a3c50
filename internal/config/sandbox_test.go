package config

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/sandbox"
)

// TestSandboxLimits: the sandbox's limits default to its constants, come
// from the file or PINDRIFT_SANDBOX_*, and are refused with the key named
// when out of range.
func TestSandboxLimits(t *testing.T) {
	clearGitHubEnv(t)
	defaults := sandbox.Limits{CPUSeconds: DefaultSandboxCPUSeconds, MemoryBytes: DefaultSandboxMemoryBytes,
		Timeout: DefaultSandboxTimeout, MaxChildren: DefaultSandboxMaxChildren}
	cases := map[string]struct {
		yaml    string
		env     map[string]string
		want    sandbox.Limits
		wantErr string
	}{
		"default": {want: defaults},
		"from the file": {yaml: "sandbox: {cpu_seconds: 5, memory_bytes: 536870912, timeout: 1m, max_children: 2}\n",
			want: sandbox.Limits{CPUSeconds: 5, MemoryBytes: 512 << 20, Timeout: time.Minute, MaxChildren: 2}},
		"environment wins": {yaml: "sandbox: {cpu_seconds: 5, timeout: 1m}\n",
			env: map[string]string{"PINDRIFT_SANDBOX_CPU_SECONDS": "3", "PINDRIFT_SANDBOX_MEMORY_BYTES": "300000000",
				"PINDRIFT_SANDBOX_TIMEOUT": "15s", "PINDRIFT_SANDBOX_MAX_CHILDREN": "8"},
			want: sandbox.Limits{CPUSeconds: 3, MemoryBytes: 300000000, Timeout: 15 * time.Second, MaxChildren: 8}},
		"zero cpu": {yaml: "sandbox: {cpu_seconds: 0}\n", wantErr: "sandbox.cpu_seconds: must be between 1 and 600, not 0"},
		"too little memory": {yaml: "sandbox: {memory_bytes: 1000000}\n",
			wantErr: "sandbox.memory_bytes: must be at least 201326592 (192 MiB: the Go runtime and the parser need that much to start), not 1000000"},
		"short timeout":    {yaml: "sandbox: {timeout: 10ms}\n", wantErr: "sandbox.timeout: must be between 1s and 10m0s, not 10ms"},
		"number timeout":   {yaml: "sandbox: {timeout: 30}\n", wantErr: "sandbox.timeout"},
		"no children":      {yaml: "sandbox: {max_children: 0}\n", wantErr: "sandbox.max_children: must be between 1 and 64, not 0"},
		"unknown key":      {yaml: "sandbox: {cpu: 5}\n", wantErr: "sandbox.cpu"},
		"bad env timeout":  {env: map[string]string{"PINDRIFT_SANDBOX_TIMEOUT": "soon"}, wantErr: `PINDRIFT_SANDBOX_TIMEOUT`},
		"bad env memory":   {env: map[string]string{"PINDRIFT_SANDBOX_MEMORY_BYTES": "1GB"}, wantErr: `PINDRIFT_SANDBOX_MEMORY_BYTES`},
		"bad env children": {env: map[string]string{"PINDRIFT_SANDBOX_MAX_CHILDREN": "100"}, wantErr: "must be between 1 and 64, not 100"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s, err := LoadServer(writeConfig(t, c.yaml+withApp("", "")), envMap(c.env))
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(c.want, s.SandboxLimits()); d != "" {
				t.Errorf("limits (-want +got):\n%s", d)
			}
		})
	}
}
