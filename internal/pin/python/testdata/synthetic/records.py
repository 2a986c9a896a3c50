"""MicroVM kernels and images described with record classes.

Covers pydantic BaseModel, @dataclass (with field(default=...)) and
NamedTuple records: keyword and positional instantiation, defaults,
methods run with self bound, a property, nested records, and class
attributes that are not fields (model_config, ClassVar), which must not
yield pins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple, Optional

from pydantic import BaseModel, ConfigDict

TAG = "v0.9.0"
BASE = f"https://github.com/acme/microvm/releases/download/{TAG}"


# construct: NamedTuple record with a default
class Kernel(NamedTuple):
    arch: str
    url: str
    sha256: str
    cmdline: str = "console=ttyS0"


# construct: @dataclass record; field(default=...); <prefix>url with <prefix>sha
@dataclass(frozen=True)
class Initrd:
    arch: str
    initrd_url: str
    initrd_sha: str
    compression: str = "zst"
    # construct: a url/sha pair that comes entirely from defaults
    firmware_url: str = field(default=f"{BASE}/firmware-common.bin")
    firmware_sha256: str = field(default="8c006b36a0aeb138b876830f4e0135b32d1705739b47034e5b8fa05b221a53ca")
    # construct: ClassVar on a dataclass is not a field (no pin)
    mirror_url: ClassVar[str] = "https://github.com/acme/microvm-mirror/releases/download/v0.9.0/firmware-common.bin"
    mirror_sha256: ClassVar[str] = "bcb01853472c7512c412b5310817703ce2b7e3a802cd33aceb84c287bf4b5d29"


# construct: pydantic BaseModel record with a nested record field and a default
class Image(BaseModel):
    name: str
    arch: str
    kernel: Kernel
    rootfs_url: str
    rootfs_sha256: str
    initrd: Optional[Initrd] = None

    # construct: model_config is not a field (its url/sha256 must not pair)
    model_config = ConfigDict(
        frozen=True,
        json_schema_extra={
            "url": "https://github.com/acme/microvm/releases/download/v0.9.0/schema.tar",
            "sha256": "41bdb89f74fd3b0f18c8be1d63e0ab5dd0f879b83330817bdb6dcd0fa01952c4",
        },
    )
    # construct: ClassVar on a model is not a field (no pin)
    legacy_url: ClassVar[str] = f"{BASE}/legacy.img"
    legacy_sha256: ClassVar[str] = "98903febc1a28e984444541682170c8bfe82513db0b85aff8cea2cd49d7c6edc"

    # construct: method run with self bound
    def sibling_url(self, suffix: str) -> str:
        return self.rootfs_url.removesuffix(".ext4.zst") + suffix

    # construct: @property
    @property
    def slug(self) -> str:
        return f"{self.name}-{self.arch}"


KERNEL_SHAS = {
    "x86_64": "2b9112c9d266bcf34d67bb6d94a16cc3ae02bdce0005967af911cec169d0b4c2",
    "aarch64": "a3961012480837ed5bcddad8017ba258e94694b559c9caed9220674c895d21c3",
}


def kernel(arch: str) -> Kernel:
    # construct: NamedTuple positional instantiation, default cmdline
    return Kernel(arch, f"{BASE}/vmlinux-{arch}", KERNEL_SHAS[arch])


BASE_KERNELS = {arch: kernel(arch) for arch in ("x86_64", "aarch64")}
# construct: NamedTuple keyword instantiation overriding a default
BASE_KERNELS["debug"] = Kernel(
    arch="x86_64",
    url=f"{BASE}/vmlinux-x86_64-debug",
    sha256="4a542e0cb29445db77d1522f3c8413890b2c05a6abd8eaf84e71e3b82f315869",
    cmdline="console=ttyS0 debug",
)

# construct: BaseModel keyword instantiation; default initrd=None
ALPINE = Image(
    name="alpine",
    arch="x86_64",
    kernel=BASE_KERNELS["x86_64"],
    rootfs_url=f"{BASE}/alpine-x86_64.ext4.zst",
    rootfs_sha256="c1e75a4f0b59ffa81463eac960e6840b02d71970cf5753057ac897b683d3a3d2",
)

# construct: dataclass positional instantiation
UBUNTU_INITRD = Initrd("aarch64", f"{BASE}/initrd-aarch64.cpio.zst", "00681b39109343071c8b187fcaae10e19d14f36652194fe00fffbae442e7fe02")

MANIFEST = {
    ALPINE.slug: ALPINE,
    # construct: method call on a record; property in a key and a URL
    "alpine-x86_64-debug": Image(
        name="alpine-debug",
        arch=ALPINE.arch,
        kernel=BASE_KERNELS["debug"],
        rootfs_url=ALPINE.sibling_url("-debug.ext4.zst"),
        rootfs_sha256="fb1ffc665477b4af74f8c1bc7b8602c9249031568f3c4977bdb32ab0ec87db07",
    ),
    # construct: nested records (a kernel only reachable through MANIFEST, and an initrd)
    "ubuntu-aarch64": Image(
        name="ubuntu",
        arch="aarch64",
        kernel=Kernel("aarch64", f"{BASE}/vmlinux-aarch64-hwe", "6dbf2b84dd0cc7dbe60495e433a039c3d0dc9115791d82c396f3592d686e2a4a", cmdline="console=ttyAMA0"),
        rootfs_url=f"{BASE}/ubuntu-aarch64.ext4.zst",
        rootfs_sha256="0963b595d2b5653d32d9d1c6f4287b537cea997d762bc85cd4a0d90f48cec0e6",
        initrd=UBUNTU_INITRD,
    ),
    # construct: dataclass keyword instantiation overriding a field(default=...)
    "edge-x86_64": Image(
        name="edge",
        arch="x86_64",
        kernel=BASE_KERNELS["x86_64"],
        rootfs_url=f"{BASE}/{ALPINE.slug.replace('alpine', 'edge')}.ext4.zst",
        rootfs_sha256="5f957a1a13ab282dddbfb90d47fc1c774d7a7b0992aba72c8c873bbd38ec7196",
        initrd=Initrd(
            arch="x86_64",
            initrd_url=f"{BASE}/initrd-x86_64.cpio.zst",
            initrd_sha="92f51043bf075e048b6a68a6838368cf7072d79b344e3852e118cf27afc4c0a0",
            firmware_url=f"{BASE}/firmware-edge.bin",
            firmware_sha256="5d3b1a6bb5a34463b07696179cb098926707b761bb580805812e6e2bb77c3824",
        ),
    ),
}
