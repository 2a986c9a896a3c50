# pindrift-test: env=WIDGETS_CHANNEL=beta env=WIDGETS_TAG=v1.3.0-rc1 env=WIDGETS_BUILD=7 platforms=linux,darwin,linux/aarch64,windows
"""Widget CLI release binaries, chosen by environment and host platform.

Covers os.environ.get (with and without a default, set and unset),
os.environ[NAME] guarded by `in`, os.getenv, platform.system(),
platform.machine() (x86_64/aarch64 names in URLs) and sys.platform.
"""

import os
import platform
import sys

DEFAULT_REPO = "https://github.com/acme/widgets"

# construct: os.environ.get with a default, variable set
CHANNEL = os.environ.get("WIDGETS_CHANNEL", "stable")
# construct: os.environ.get without a default, variable unset, `or` fallback
REPO = os.environ.get("WIDGETS_MIRROR") or DEFAULT_REPO
# construct: os.environ[NAME] guarded by `"NAME" in os.environ`
if "WIDGETS_TAG" in os.environ:
    TAG = os.environ["WIDGETS_TAG"]
else:
    TAG = "v1.2.3"
# construct: os.environ[NAME] guarded by `in`, variable unset (else branch taken)
if "WIDGETS_SUFFIX" in os.environ:
    SUFFIX = os.environ["WIDGETS_SUFFIX"]
else:
    SUFFIX = ""
# construct: os.getenv with a default, variable unset
FLAVOR = os.getenv("WIDGETS_FLAVOR", "gnu")
# construct: os.getenv without a default, variable set
BUILD = os.getenv("WIDGETS_BUILD")

# construct: platform.system()
SYSTEM = platform.system().lower()
# construct: platform.machine(), as-is (x86_64 / aarch64 / AMD64) and mapped to release arch names
MACHINE = platform.machine()
ARCH = {"x86_64": "amd64", "AMD64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(MACHINE, MACHINE)

# construct: sys.platform
if sys.platform == "win32":
    EXT = "zip"
elif sys.platform.startswith("darwin"):
    EXT = "tar.gz"
else:
    EXT = "tar.zst"

WIDGET_SHAS = {
    ("linux", "amd64"): "29bf27ee1e66bbc7d170db2009b60f560027c381b31c2c790b4a3e5001589ce0",
    ("linux", "arm64"): "2c07605c6bb89cc093cd55decab78d81fdd967be26c07e3dcaebc78269b50db8",
    ("darwin", "amd64"): "c65b23f6e054acef0eb646021d50020da3eed92fd62a81d891a3ed604b89f4f8",
    ("windows", "amd64"): "c37446591ae3b4fce33c251c3db6aae600cea0680de106282d5d791c2d951f01",
}
KERNEL_SHAS = {
    "x86_64": "77b33abf5c74897072826f58eb5602c5875a8d0c89de4b41b28e5d111ea925a0",
    "aarch64": "df4752d0627b3a2dbe8c714f3398458374bcd2b0809c953fa900d6b43ebb294a",
    "AMD64": "d87c4ec4bf07ab6b2f5593c528d0032ebeaa982da3e8846f733204063914231a",
}

RELEASE = f"{REPO}/releases/download/{TAG}"

MANIFEST = {
    "widget": {
        "url": f"{RELEASE}/widget-{CHANNEL}-{SYSTEM}-{ARCH}{SUFFIX}.{EXT}",
        "sha256": WIDGET_SHAS[(SYSTEM, ARCH)],
    },
}

# construct: a pin only on Linux, named by the unset-variable default
if SYSTEM == "linux":
    MANIFEST["static"] = {
        "url": f"{RELEASE}/widget-{MACHINE}-linux-{FLAVOR}-b{BUILD}.tar.zst",
        "sha256": "8a02a59a8b3ebaa1c5de6e901d11652e8e7ec7b86bb6d494896c892dc61e9d9c" if MACHINE == "aarch64" else "c8f8f7b9d1bb558c4cc5c7da55224c41417c1421c298357f8291cf303ee93ca5",
    }

BASE_KERNELS = {
    MACHINE: {"url": f"{RELEASE}/vmlinux-{MACHINE}", "sha256": KERNEL_SHAS[MACHINE]},
}
