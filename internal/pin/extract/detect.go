package extract

import (
	"fmt"
	"path"
	"strings"

	"github.com/pindrift/pindrift/internal/pin"
)

// byName and byExt are the file names pindrift reads, matched on the
// base name (exactly) and then on the extension (ignoring case).
var (
	byName = map[string]pin.Format{
		"BUILD": pin.Starlark, "BUILD.bazel": pin.Starlark, "WORKSPACE": pin.Starlark,
		"WORKSPACE.bazel": pin.Starlark, "WORKSPACE.bzlmod": pin.Starlark, "MODULE.bazel": pin.Starlark,
	}
	byExt = map[string]pin.Format{
		".py": pin.Python, ".pyi": pin.Python,
		".bzl": pin.Starlark, ".star": pin.Starlark,
		".json": pin.JSON,
		".yml":  pin.YAML, ".yaml": pin.YAML,
		".toml": pin.TOML,
	}
)

// unsupportedName and unsupportedExt name the formats pindrift knows it
// cannot read yet, so that their users hear which format, not "unknown".
var (
	unsupportedName = map[string]string{
		"Gemfile": "Ruby", "Rakefile": "Ruby", "Podfile": "Ruby", "Brewfile": "Ruby", "Vagrantfile": "Ruby",
		"go.mod": "Go modules", "go.sum": "Go modules",
		"CMakeLists.txt": "CMake", "Makefile": "Make", "GNUmakefile": "Make",
		"Dockerfile": "Dockerfile", "Containerfile": "Dockerfile",
		"PKGBUILD": "shell (PKGBUILD)", "APKBUILD": "shell (APKBUILD)",
		"pom.xml": "Maven", "Cargo.lock": "Cargo lock file",
	}
	unsupportedExt = map[string]string{
		".rb": "Ruby", ".gemspec": "Ruby", ".podspec": "Ruby",
		".js": "JavaScript", ".mjs": "JavaScript", ".cjs": "JavaScript", ".ts": "TypeScript",
		".go": "Go", ".rs": "Rust", ".gradle": "Gradle", ".kts": "Kotlin script",
		".nix": "Nix", ".cmake": "CMake", ".sh": "shell", ".bash": "shell",
		".xml": "XML", ".hcl": "HCL", ".tf": "Terraform (HCL)", ".lua": "Lua",
		".pl": "Perl", ".php": "PHP", ".java": "Java", ".cs": "C#", ".swift": "Swift",
		".mk": "Make", ".dockerfile": "Dockerfile", ".ps1": "PowerShell", ".ini": "INI", ".cfg": "INI",
	}
)

// Detect tells a file's format from its name (a repository path, with /).
// A format pindrift knows but cannot read is an *UnsupportedError, a name
// it cannot place an *UnknownFormatError.
func Detect(file string) (pin.Format, error) {
	base := path.Base(strings.ReplaceAll(file, `\`, "/"))
	if f, ok := byName[base]; ok {
		return f, nil
	}
	if name, ok := unsupportedName[base]; ok {
		return "", &UnsupportedError{File: file, Format: name}
	}
	ext := strings.ToLower(path.Ext(base))
	if f, ok := byExt[ext]; ok {
		return f, nil
	}
	if name, ok := unsupportedExt[ext]; ok {
		return "", &UnsupportedError{File: file, Format: name}
	}
	return "", &UnknownFormatError{File: file}
}

// UnsupportedError reports a file in a format pindrift does not read.
type UnsupportedError struct {
	File   string
	Format string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s: format not supported: %s", e.File, e.Format)
}

// UnknownFormatError reports a file name that says nothing of its format.
type UnknownFormatError struct {
	File string
}

func (e *UnknownFormatError) Error() string {
	names := make([]string, len(pin.Formats))
	for i, f := range pin.Formats {
		names[i] = string(f)
	}
	return fmt.Sprintf("%s: pindrift cannot tell the format from the file name; set it with --format or the format: key of the config (one of %s)",
		e.File, strings.Join(names, ", "))
}
