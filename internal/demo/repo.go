package demo

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/pindrift/pindrift/internal/ghfake"
)

// The repository the story happens in.
const (
	owner          = "acme"
	repoName       = "images"
	defaultBranch  = "main"
	manifestPath   = "src/images/published.py"
	releaseTag     = "images-2026.06.14.0"
	installationID = 77
	releaseBot     = "release-bot"
)

// asset is one file of the release: its name and the two versions of its
// bytes, the one the manifest pins and the rebuild that replaces it.
type asset struct {
	name     string
	original []byte
	rebuilt  []byte // nil: never re-uploaded in the story
}

// assets are small (tens of KiB) so the demo hashes them in no time; the
// contents only need to be distinct and deterministic.
var assets = []asset{
	{name: "vmlinux-amd64", original: blob("linux 6.6.32 x86_64 bzImage", 48<<10)},
	{name: "ubuntu-rootfs-amd64.ext4.zst", original: blob("ubuntu 24.04 rootfs, build 1", 96<<10),
		rebuilt: blob("ubuntu 24.04 rootfs, build 2 (forced re-run)", 96<<10)},
	{name: "alpine-rootfs-amd64.ext4.zst", original: blob("alpine 3.20 rootfs, build 1", 64<<10)},
}

// drifting is the asset the story re-uploads.
var drifting = assets[1]

func blob(seed string, size int) []byte {
	line := []byte(seed + "\n")
	return bytes.Repeat(line, size/len(line)+1)[:size]
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// manifestSource is the repository's published.py: a kernel table and the
// images built on it, pinned by URL and SHA-256, in the style of the
// manifests pindrift was written for. base is the release's download URL
// on the fake GitHub.
func manifestSource(base string) string {
	return strings.NewReplacer(
		"$DOWNLOADS", base,
		"$KERNEL", sha(assets[0].original),
		"$UBUNTU", sha(assets[1].original),
		"$ALPINE", sha(assets[2].original),
	).Replace(`"""Kernels and root filesystems the launcher downloads, pinned by SHA-256.

Published by .github/workflows/release.yml; the launcher refuses any
download whose digest differs from the one pinned here.
"""

RELEASE = "` + releaseTag + `"
BASE = f"$DOWNLOADS"

BASE_KERNELS = {
    "amd64": {
        "kernel_url": f"{BASE}/vmlinux-amd64",
        "kernel_sha256": "$KERNEL",
    },
}


def image(distro, arch, rootfs_sha256):
    kernel = BASE_KERNELS[arch]
    return {
        "kernel_url": kernel["kernel_url"],
        "kernel_sha256": kernel["kernel_sha256"],
        "rootfs_url": f"{BASE}/{distro}-rootfs-{arch}.ext4.zst",
        "rootfs_sha256": rootfs_sha256,
    }


MANIFEST = {
    ("ubuntu", "amd64"): image("ubuntu", "amd64", "$UBUNTU"),
    ("alpine", "amd64"): image("alpine", "amd64", "$ALPINE"),
}
`)
}

// repoConfig turns the App on for the repository: one manifest, the
// default verification mode (download when an asset changed).
const repoConfig = `manifests:
  - path: ` + manifestPath + `
`

// seed fills the fake GitHub: the App installed on acme, the repository
// with its manifest and configuration on main, and the published release.
func seed(gh *ghfake.Server) {
	gh.AddInstallation(ghfake.Installation{ID: installationID, Account: owner})
	gh.AddRepo(ghfake.Repo{Owner: owner, Name: repoName, InstallationID: installationID})
	var as []ghfake.Asset
	for _, a := range assets {
		as = append(as, ghfake.Asset{Name: a.name, Content: a.original, Uploader: releaseBot})
	}
	gh.AddRelease(owner, repoName, ghfake.Release{Tag: releaseTag, Author: releaseBot, Assets: as,
		Body: "Kernels and root filesystems for the launcher."})
	base := fmt.Sprintf("%s/%s/%s/releases/download/{RELEASE}", gh.URL(), owner, repoName)
	gh.SetFiles(owner, repoName, defaultBranch, map[string]string{
		manifestPath:           manifestSource(base),
		".github/pindrift.yml": repoConfig,
	}, "maintainer")
}
