package repoconfig

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/pin"
)

// TestParseRepoFormats checks that a manifest's format:, url_fields: and
// digest_fields: reach the extraction options, and that a path whose
// format is known needs no format:.
func TestParseRepoFormats(t *testing.T) {
	t.Parallel()
	c, err := Parse(repoFile, []byte(`manifests:
  - path: deps/pins.txt
    format: JSON
    url_fields: [download, "*_href"]
    digest_fields: [digest, "*_sum"]
  - path: tools/versions.yaml
  - path: third_party/WORKSPACE
  - path: Cargo.toml
`))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	opts, err := c.Manifests[0].Options()
	if err != nil {
		t.Fatal(err)
	}
	want := pin.Options{Format: pin.JSON, Platforms: []pin.Platform{pin.DefaultPlatform},
		Fields: pin.Fields{URL: []string{"download", "*_href"}, Digest: []string{"digest", "*_sum"}}}
	if diff := cmp.Diff(want, opts); diff != "" {
		t.Errorf("options of the JSON manifest (-want +got):\n%s", diff)
	}
	for _, m := range c.Manifests[1:] {
		opts, err := m.Options()
		if err != nil {
			t.Fatal(err)
		}
		if opts.Format != "" || opts.Fields.URL != nil || opts.Fields.Digest != nil {
			t.Errorf("%s: options %+v, want the format told from the name and the default fields", m.Path, opts)
		}
	}
}

func TestParseRepoFormatsInvalid(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		yaml string
		want []Problem
	}{
		"unknown format": {
			yaml: "manifests:\n  - path: pins.json\n    format: xml\n",
			want: []Problem{{Line: 3, Column: 13, Key: "manifests[0].format",
				Message: `unknown format "xml" (want one of python, starlark, json, yaml, toml)`}},
		},
		"format the name does not say": {
			yaml: "manifests:\n  - path: pins.txt\n",
			want: []Problem{{Line: 2, Column: 11, Key: "manifests[0].path",
				Message: "does not say its format (.py, .bzl, .json, .yaml, .toml, BUILD, ...): name it with format: python, starlark, json, yaml or toml"}},
		},
		"a format pindrift does not read": {
			yaml: "manifests:\n  - path: Gemfile\n  - path: formula.rb\n",
			want: []Problem{
				{Line: 2, Column: 11, Key: "manifests[0].path", Message: "is Ruby, a format pindrift does not read yet"},
				{Line: 3, Column: 11, Key: "manifests[1].path", Message: "is Ruby, a format pindrift does not read yet"},
			},
		},
		"field patterns": {
			yaml: "manifests:\n  - path: pins.json\n    url_fields: [\"*\", a b, link]\n    digest_fields: [sum, SUM, \"x*y\"]\n",
			want: []Problem{
				{Line: 3, Column: 18, Key: "manifests[0].url_fields[0]", Message: `field pattern "*" matches every key; want a name, *suffix or prefix*`},
				{Line: 3, Column: 23, Key: "manifests[0].url_fields[1]", Message: `field pattern "a b" contains a space`},
				{Line: 4, Column: 26, Key: "manifests[0].digest_fields[1]", Message: `"SUM" is already listed as digest_fields[0]`},
				{Line: 4, Column: 31, Key: "manifests[0].digest_fields[2]", Message: `field pattern "x*y": '*' may only start or end it (*suffix or prefix*)`},
			},
		},
		"fields of the wrong type": {
			yaml: "manifests:\n  - path: pins.json\n    digest_fields: sum\n",
			want: []Problem{{Line: 3, Column: 20, Key: "manifests[0].digest_fields", Message: "must be a list"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(repoFile, []byte(tc.yaml))
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse: %v, want an *Error", err)
			}
			if diff := cmp.Diff(tc.want, perr.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}
