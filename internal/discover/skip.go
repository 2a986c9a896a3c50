package discover

import (
	"path"
	"strings"
	"unicode/utf8"
)

// Reasons a file is passed over without being read, the keys of
// Result.Skipped.
const (
	ReasonFolder    = "in a vendored, generated or test fixture folder"
	ReasonSymlink   = "symbolic link"
	ReasonSubmodule = "submodule"
	ReasonLockFile  = "lock file of a package manager"
	ReasonFormat    = "not a format pindrift reads"
	ReasonTooSmall  = "too small to hold a pin"
	ReasonBadPath   = "path a configuration cannot name"
)

// skipFolders are folder names, at any depth, whose files are someone
// else's (vendored copies: a pin there is upstream's to keep), a build's
// output, or test fixtures. build/ is not among them: Bazel and CMake projects keep
// hand-written files (build/deps.bzl) there.
var skipFolders = map[string]bool{
	".git": true, "vendor": true, "third_party": true, "third-party": true, "thirdparty": true,
	"node_modules": true, "bower_components": true, "jspm_packages": true, "Pods": true, "Carthage": true,
	"__pycache__": true, "site-packages": true, ".venv": true, "venv": true, ".tox": true, ".nox": true,
	".eggs": true, ".mypy_cache": true, ".pytest_cache": true, ".ruff_cache": true, ".cache": true,
	".idea": true, ".vscode": true, ".gradle": true, ".terraform": true, "dist": true,
	// Test fixtures: their digests pin nothing real, and a configuration
	// listing them would report drift on made-up URLs.
	"testdata": true, "fixtures": true, "__fixtures__": true,
}

// skipFolder reports whether files under a folder named name are skipped:
// one of skipFolders, a Python egg's metadata, or Bazel's output links
// (bazel-bin, bazel-out, bazel-<workspace>).
func skipFolder(name string) bool {
	return skipFolders[name] || strings.HasSuffix(name, ".egg-info") || strings.HasPrefix(name, "bazel-")
}

// skippedFolder returns the outermost skipped folder p is in (p itself
// when it is one), or "".
func skippedFolder(p string, isFolder bool) string {
	parts := strings.Split(p, "/")
	if !isFolder {
		parts = parts[:len(parts)-1]
	}
	for i, name := range parts {
		if skipFolder(name) {
			return strings.Join(parts[:i+1], "/")
		}
	}
	return ""
}

// lockFiles are written by package managers, which verify their digests
// themselves (npm, yarn, pnpm, Cargo, Go, Poetry, Pipenv, uv, Bundler,
// Composer, Bazel's MODULE.bazel.lock): their pins are not pindrift's to
// keep, and editing them by hand breaks the tool that owns them.
var lockFiles = map[string]bool{
	"package-lock.json": true, "npm-shrinkwrap.json": true, "yarn.lock": true, "pnpm-lock.yaml": true,
	"bun.lockb": true, "Cargo.lock": true, "go.sum": true, "go.work.sum": true, "poetry.lock": true,
	"Pipfile.lock": true, "uv.lock": true, "pdm.lock": true, "Gemfile.lock": true, "composer.lock": true,
	"MODULE.bazel.lock": true, "flake.lock": true, "pubspec.lock": true, "Package.resolved": true,
	"conda-lock.yml": true, "mix.lock": true, "packages.lock.json": true, "gradle.lockfile": true,
}

// isLockFile reports whether p is a package manager's lock file;
// requirements files with --hash lines (pip's) are not: they are not
// a format pindrift reads.
func isLockFile(p string) bool {
	return lockFiles[path.Base(p)]
}

// configurablePath reports whether a configuration can name p: a clean
// relative path without control characters or backslashes, as repoconfig
// requires.
func configurablePath(p string) bool {
	return p != "" && !path.IsAbs(p) && path.Clean(p) == p && p != ".." && !strings.HasPrefix(p, "../") &&
		utf8.ValidString(p) && !strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' })
}
