package repoconfig

import (
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
