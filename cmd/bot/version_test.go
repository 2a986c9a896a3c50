package main

import (
	"bytes"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLine(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	tests := map[string]struct {
		info *debug.BuildInfo
		want string
	}{
		"checkout with changes": {
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
				Settings: vcs("vcs", "git", "vcs.revision", "3f2a1c9d0e4b5a6f7081928374655647382910ab",
					"vcs.time", "2026-11-28T07:53:11Z", "vcs.modified", "true")},
			want: "pindrift (devel) 3f2a1c9d0e4b 2026-11-28T07:53:11Z modified go1.26.8 linux/amd64",
		},
		"clean release build": {
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"},
				Settings: vcs("vcs.revision", "3f2a1c9d0e4b5a6f7081928374655647382910ab",
					"vcs.time", "2026-11-28T07:53:11Z", "vcs.modified", "false")},
			want: "pindrift v1.2.0 3f2a1c9d0e4b 2026-11-28T07:53:11Z go1.26.8 linux/amd64",
		},
		"built without VCS information (the Dockerfile)": {
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
				Settings: vcs("-buildvcs", "false", "CGO_ENABLED", "1")},
			want: "pindrift (devel) unknown revision go1.26.8 linux/amd64",
		},
		"no build information": {
			info: nil,
			want: "pindrift unknown unknown revision " + runtime.Version() + " linux/amd64",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := versionLine(tc.info, "linux/amd64"); got != tc.want {
				t.Errorf("versionLine:\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestVersionCommand runs `bot version` as a user would: one line naming
// the program and the Go that built it.
func TestVersionCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"version"}, &stdout, &stderr); code != 0 {
		t.Fatalf("bot version: exit %d\n%s", code, &stderr)
	}
	out := stdout.String()
	if strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, "pindrift ") {
		t.Errorf("bot version printed %q, want one line starting with \"pindrift \"", out)
	}
	for _, want := range []string{runtime.Version(), runtime.GOOS + "/" + runtime.GOARCH} {
		if !strings.Contains(out, want) {
			t.Errorf("bot version printed %q, which lacks %s", out, want)
		}
	}
	if code := run([]string{"version", "extra"}, &stdout, &stderr); code != exitBadInput {
		t.Errorf("bot version extra: exit %d, want %d", code, exitBadInput)
	}
}
