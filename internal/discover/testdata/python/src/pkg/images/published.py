"""Release assets the images are built from, pinned by digest."""

RELEASE = "https://github.com/acme/images/releases/download"
TAG = "v1.4.0"

BASE_KERNELS = {
    "6.1": {
        "url": f"{RELEASE}/{TAG}/vmlinux-6.1",
        "sha256": "1111111111111111111111111111111111111111111111111111111111111111",
    },
    "6.6": {
        "url": f"{RELEASE}/{TAG}/vmlinux-6.6",
        "sha256": "2222222222222222222222222222222222222222222222222222222222222222",
    },
}

MANIFEST = {
    ("rootfs", arch): {
        "url": f"{RELEASE}/{TAG}/rootfs-{arch}.ext4",
        "sha256": digest,
    }
    for arch, digest in [
        ("amd64", "3333333333333333333333333333333333333333333333333333333333333333"),
        ("arm64", "4444444444444444444444444444444444444444444444444444444444444444"),
    ]
}
