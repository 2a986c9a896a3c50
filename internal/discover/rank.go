package discover

import (
	"path"
	"strings"
	"unicode"
)

// Ranks order the candidates: a discovery reads them rank by rank until
// its budget runs out, so the files most likely to hold pins are read
// even in a repository with thousands of files of a readable format.
const (
	// rankExact: the file's name is one that pins live in.
	rankExact = iota
	// rankName: its name has the extension of a file pins live in (.bzl,
	// winget's .installer.yaml); a Bazel repository can have hundreds.
	rankName
	// rankWord: a word of its path says pins, releases or dependencies.
	rankWord
	// rankFormat: any other file of a format pindrift reads.
	rankFormat
	// rankLow: tests, documentation and examples (whose digests are
	// fixtures) and Bazel BUILD files (Bazel allows repository rules
	// such as http_archive only in WORKSPACE, MODULE.bazel and .bzl).
	rankLow
)

// byName are the base names pins are known to live in: pindrift's own
// convention, Bazel's workspace files, the Bazel Central Registry's
// source.json and Conan's conandata.yml. Every .bzl file and winget's
// *.installer.yaml are candidates by name too.
var byName = map[string]bool{
	"published.py": true, "WORKSPACE": true, "WORKSPACE.bazel": true, "WORKSPACE.bzlmod": true,
	"MODULE.bazel": true, "source.json": true, "conandata.yml": true, "conandata.yaml": true,
}

// pinWords are the path words of rankWord.
var pinWords = map[string]bool{
	"pin": true, "pins": true, "pinned": true, "manifest": true, "manifests": true, "release": true,
	"releases": true, "published": true, "checksum": true, "checksums": true, "sha256": true,
	"sha256sums": true, "digest": true, "digests": true, "hash": true, "hashes": true, "download": true,
	"downloads": true, "asset": true, "assets": true, "artifact": true, "artifacts": true, "deps": true,
	"dependencies": true, "repositories": true, "versions": true, "sources": true, "mirror": true,
	"mirrors": true, "images": true, "bucket": true, "toolchains": true, "toolchain": true,
}

// lowWords are the path words of rankLow.
var lowWords = map[string]bool{
	"test": true, "tests": true, "testdata": true, "testing": true, "fixture": true, "fixtures": true,
	"doc": true, "docs": true, "example": true, "examples": true, "sample": true, "samples": true,
	"benchmark": true, "benchmarks": true,
}

// rank places a file of a readable format among the candidates.
func rank(p string) int {
	base := path.Base(p)
	switch {
	case byName[base]:
		return rankExact
	case strings.HasSuffix(base, ".bzl"), strings.HasSuffix(strings.ToLower(base), ".installer.yaml"):
		return rankName
	case base == "BUILD" || base == "BUILD.bazel":
		return rankLow
	}
	words := strings.FieldsFunc(strings.ToLower(p), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	r := rankFormat
	for _, w := range words {
		if lowWords[w] {
			return rankLow
		}
		if pinWords[w] {
			r = rankWord
		}
	}
	return r
}
