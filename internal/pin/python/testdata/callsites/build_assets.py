"""A build script that downloads its inputs through a helper it imports."""
from buildtools.net import download, fetch_archive

VERSION = "0.9.0"
BASE = "https://github.com/acme/microvm/releases/download/v" + VERSION

download(
    url=f"{BASE}/vmlinux-x86_64",
    sha256="2b9112c9d266bcf34d67bb6d94a16cc3ae02bdce0005967af911cec169d0b4c2",
    dest="build/vmlinux",
)

ROOTFS = [
    ("alpine", "c1e75a4f0b59ffa8cb1c1bd0b26b6b5e85bd01ba9c75e1b2b1e2fbbd7ef0d4c2"),
    ("ubuntu", "42eda502b6cbd38fd1db485e6d514a25e6704dc0f51fde7b62176d56b3fcde1f"),
]
for name, digest in ROOTFS:
    fetch_archive(urls=["%s/%s.ext4.zst" % (BASE, name), "https://mirror.example.org/%s.ext4.zst" % name],
                  sha256=digest, strip_prefix=name)
