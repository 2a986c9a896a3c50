package pindrift

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAppManifestParses(t *testing.T) {
	m, err := AppManifest()
	if err != nil {
		t.Fatal(err)
	}
	if m.Public {
		t.Error("app.yml makes the App public; anyone could install an App whose server is yours")
	}
	if !m.HookAttributes.Active {
		t.Error("app.yml turns the webhook off; the App works from its deliveries")
	}
	// The JSON GitHub receives uses its field names.
	raw, err := m.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"name", "url", "hook_attributes", "redirect_url", "public", "default_permissions", "default_events"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("manifest JSON lacks %q: %s", k, raw)
		}
	}
}

func TestParseManifestRefuses(t *testing.T) {
	const valid = "name: x\nurl: https://example.com\nhook_attributes: {url: https://h.example/hook, active: true}\nredirect_url: http://127.0.0.1/cb\n"
	tests := map[string]struct {
		yaml string
		want string
	}{
		"unknown key":        {valid + "default_permisions: {contents: read}\n", "default_permisions"},
		"bad level":          {valid + "default_permissions: {contents: rw}\n", `default_permissions.contents is "rw"`},
		"no name":            {strings.Replace(valid, "name: x", "name: ''", 1), "name is required"},
		"long name":          {strings.Replace(valid, "name: x", "name: "+strings.Repeat("n", 35), 1), "35 characters"},
		"active hook no url": {strings.Replace(valid, "url: https://h.example/hook, ", "", 1), "hook_attributes.url is required"},
		"duplicate event":    {valid + "default_events: [push, push]\n", `"push" twice`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ParseManifest([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v; want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestPermissionLevel(t *testing.T) {
	got := []int{PermissionLevel(""), PermissionLevel("read"), PermissionLevel("write"), PermissionLevel("admin"), PermissionLevel("rw")}
	if diff := cmp.Diff([]int{0, 1, 2, 3, 0}, got); diff != "" {
		t.Errorf("levels (-want +got):\n%s", diff)
	}
}
