package pindrift

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

//go:embed app.yml
var appYAML []byte

// Manifest is a GitHub App manifest, the fields of GitHub's "Registering a
// GitHub App from a manifest". JSON renders it as GitHub expects it.
type Manifest struct {
	Name           string         `yaml:"name" json:"name"`
	URL            string         `yaml:"url" json:"url"`
	Description    string         `yaml:"description" json:"description,omitempty"`
	HookAttributes HookAttributes `yaml:"hook_attributes" json:"hook_attributes"`
	RedirectURL    string         `yaml:"redirect_url" json:"redirect_url"`
	CallbackURLs   []string       `yaml:"callback_urls" json:"callback_urls,omitempty"`
	SetupURL       string         `yaml:"setup_url" json:"setup_url,omitempty"`
	SetupOnUpdate  bool           `yaml:"setup_on_update" json:"setup_on_update,omitempty"`
	Public         bool           `yaml:"public" json:"public"`
	// DefaultPermissions maps a permission ("contents") to its level
	// ("read", "write" or "admin").
	DefaultPermissions map[string]string `yaml:"default_permissions" json:"default_permissions"`
	DefaultEvents      []string          `yaml:"default_events" json:"default_events"`
}

// HookAttributes is where GitHub delivers the App's webhooks.
type HookAttributes struct {
	URL    string `yaml:"url" json:"url"`
	Active bool   `yaml:"active" json:"active"`
}

// MaxAppNameLength is GitHub's limit on an App's name.
const MaxAppNameLength = 34

// permissionLevels orders the levels a permission can be granted at.
var permissionLevels = []string{"read", "write", "admin"}

// PermissionLevel ranks a level: 0 for none or unknown, then read < write < admin.
func PermissionLevel(level string) int {
	return slices.Index(permissionLevels, level) + 1
}

// AppManifest parses the embedded app.yml.
func AppManifest() (Manifest, error) {
	return ParseManifest(appYAML)
}

// ParseManifest reads a manifest strictly: an unknown key is an error, as a
// misspelt one would otherwise be dropped without GitHub ever seeing it.
func ParseManifest(data []byte) (Manifest, error) {
	var m Manifest
	if err := yaml.UnmarshalWithOptions(data, &m, yaml.Strict()); err != nil {
		return Manifest{}, fmt.Errorf("app manifest: %s", yaml.FormatError(err, false, true))
	}
	if err := m.Validate(); err != nil {
		return Manifest{}, fmt.Errorf("app manifest: %w", err)
	}
	return m, nil
}

// Validate checks what GitHub would refuse, so that a bad manifest fails
// here rather than on GitHub's page.
func (m Manifest) Validate() error {
	var errs []error
	switch {
	case strings.TrimSpace(m.Name) == "":
		errs = append(errs, errors.New("name is required"))
	case len(m.Name) > MaxAppNameLength:
		errs = append(errs, fmt.Errorf("name %q is %d characters; GitHub allows %d", m.Name, len(m.Name), MaxAppNameLength))
	}
	if m.URL == "" {
		errs = append(errs, errors.New("url (the App's homepage) is required"))
	}
	if m.HookAttributes.Active && m.HookAttributes.URL == "" {
		errs = append(errs, errors.New("hook_attributes.url is required while the webhook is active"))
	}
	for _, p := range slices.Sorted(maps.Keys(m.DefaultPermissions)) {
		if PermissionLevel(m.DefaultPermissions[p]) == 0 {
			errs = append(errs, fmt.Errorf("default_permissions.%s is %q; want read, write or admin", p, m.DefaultPermissions[p]))
		}
	}
	seen := map[string]bool{}
	for _, e := range m.DefaultEvents {
		if seen[e] {
			errs = append(errs, fmt.Errorf("default_events lists %q twice", e))
		}
		seen[e] = true
	}
	return errors.Join(errs...)
}

// JSON is the manifest as the form field GitHub's manifest flow posts.
func (m Manifest) JSON() ([]byte, error) {
	return json.Marshal(m)
}
