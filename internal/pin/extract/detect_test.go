package extract_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
)

func TestDetect(t *testing.T) {
	t.Parallel()
	for file, want := range map[string]pin.Format{
		"src/images/published.py":          pin.Python,
		"typings/x.pyi":                    pin.Python,
		"third_party/deps.bzl":             pin.Starlark,
		"BUILD":                            pin.Starlark,
		"a/BUILD.bazel":                    pin.Starlark,
		"WORKSPACE":                        pin.Starlark,
		"WORKSPACE.bazel":                  pin.Starlark,
		"MODULE.bazel":                     pin.Starlark,
		"ci/rules.star":                    pin.Starlark,
		"modules/zlib/1.3/source.json":     pin.JSON,
		"bucket/App.JSON":                  pin.JSON,
		"recipes/z/all/conandata.yml":      pin.YAML,
		"manifests/x/1.2/x.installer.yaml": pin.YAML,
		"pyproject.toml":                   pin.TOML,
		`C:\repo\assets.toml`:              pin.TOML,
	} {
		got, err := extract.Detect(file)
		if err != nil || got != want {
			t.Errorf("Detect(%q) = %q, %v; want %q", file, got, err, want)
		}
	}
	for file, want := range map[string]string{
		"Gemfile":        "a: format not supported: Ruby",
		"lib/x.rb":       "format not supported: Ruby",
		"web/app.js":     "format not supported: JavaScript",
		"go.mod":         "format not supported: Go modules",
		"main.go":        "format not supported: Go",
		"src/lib.rs":     "format not supported: Rust",
		"build.gradle":   "format not supported: Gradle",
		"default.nix":    "format not supported: Nix",
		"CMakeLists.txt": "format not supported: CMake",
	} {
		_, err := extract.Detect(file)
		var ue *extract.UnsupportedError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), strings.TrimPrefix(want, "a: ")) {
			t.Errorf("Detect(%q) = %v, want an UnsupportedError %q", file, err, want)
		}
	}
	for _, file := range []string{"manifest", "pins.txt", "x.unknownext"} {
		_, err := extract.Detect(file)
		var ue *extract.UnknownFormatError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), file+": pindrift cannot tell the format") ||
			!strings.Contains(err.Error(), "--format") || !strings.Contains(err.Error(), "format:") {
			t.Errorf("Detect(%q) = %v, want an UnknownFormatError naming --format and format:", file, err)
		}
	}
}

func TestFileFormats(t *testing.T) {
	t.Parallel()
	const hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	py := "MANIFEST = {\"a\": {\"url\": \"https://x/a\", \"sha256\": \"" + hex + "\"}}\n"
	for _, tc := range []struct {
		name, file, src string
		format          pin.Format
		wantErr         string
	}{
		{name: "python", file: "m.py", src: py},
		{name: "starlark reads as python", file: "deps.bzl", src: py},
		{name: "json", file: "source.json", src: `{"url": "https://x/a", "sha256": "` + hex + `"}`},
		{name: "yaml", file: "c.yaml", src: "url: https://x/a\nsha256: " + hex + "\n"},
		{name: "toml", file: "c.toml", src: "url = \"https://x/a\"\nsha256 = \"" + hex + "\"\n"},
		{name: "format overrides the name", file: "pins.txt", src: `{"url": "https://x/a", "sha256": "` + hex + `"}`, format: pin.JSON},
		{name: "format overrides the extension", file: "x.json", src: "url: https://x/a\nsha256: " + hex + "\n", format: pin.YAML},
		{name: "unknown name", file: "pins.txt", src: "{}", wantErr: "cannot tell the format"},
		{name: "unsupported", file: "Gemfile", src: "", wantErr: "format not supported: Ruby"},
		{name: "unsupported format option", file: "x.json", src: "{}", format: "hcl", wantErr: "format not supported: hcl"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := extract.File(context.Background(), tc.file, []byte(tc.src), pin.Options{Format: tc.format})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Pins) != 1 || res.Pins[0].URL != "https://x/a" || res.Pins[0].SHA256 != hex {
				t.Errorf("pins %+v, want one of https://x/a", res.Pins)
			}
		})
	}
}
