"""Download the toolchains the build needs, before `make` runs in CI."""

import sys

from buildtools.download import fetch  # the project's own helper: GET, hash, compare

LLVM = "18.1.8"
BASE = "https://github.com/llvm/llvm-project/releases/download"

TOOLCHAINS = {
    "linux-x86_64": {
        "url": f"{BASE}/llvmorg-{LLVM}/clang+llvm-{LLVM}-x86_64-linux-gnu-ubuntu-18.04.tar.xz",
        "sha256": "54ec30358afcc9fb8aa74307db3046f5187f9fb89fb37064cdde906e062ebf36",
    },
    "linux-aarch64": {
        "url": f"{BASE}/llvmorg-{LLVM}/clang+llvm-{LLVM}-aarch64-linux-gnu.tar.xz",
        "sha256": "DCAA1BEBBFBB86953FDFBDC7F938800229F75AD26C5C9375EF242EDAD737D999",
    },
}


def main(platform):
    fetch(
        url="https://github.com/ninja-build/ninja/releases/download/v1.12.1/ninja-linux.zip",
        sha256="sha256:6f98805688d19672bd699fbbfa2c2cf0fc054ac3df1f0e6a47664d963d530255",
    )
    t = TOOLCHAINS[platform]
    fetch(url=t["url"], sha256=t["sha256"])


def fetch_version(version, sha256):
    fetch(url=f"{BASE}/llvmorg-{version}/LLVM-{version}-Linux-X64.tar.xz", sha256=sha256)


if __name__ == "__main__":
    main(sys.argv[1])
