"""Helper binaries, pinned under a name that is not one of the defaults."""

TOOLS = {
    "firecracker": {
        "url": "https://github.com/firecracker-microvm/firecracker/releases/download/v1.7.0/firecracker-v1.7.0-x86_64.tgz",
        "sha256": "5555555555555555555555555555555555555555555555555555555555555555",
    },
}
