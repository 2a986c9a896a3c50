package pin

import (
	"strings"
	"testing"
)

func TestParseFormat(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Format{"json": JSON, "YAML": YAML, "yml": YAML, " toml ": TOML, "py": Python, "starlark": Starlark} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseFormat("ruby"); err == nil || !strings.Contains(err.Error(), "python, starlark, json, yaml, toml") {
		t.Errorf("ParseFormat(ruby) = %v, want an error listing the formats", err)
	}
}
