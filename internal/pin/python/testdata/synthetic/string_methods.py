"""Compiler toolchain tarballs.

Covers %-formatting, str.format and the str methods manifests use to shape
release URLs: join, lower, upper, strip/lstrip/rstrip, replace,
startswith/endswith, split/rsplit and removeprefix/removesuffix.
"""

# construct: str.strip() without chars
BASE = "  https://github.com/acme/toolchain/releases/download/  ".strip()
# construct: str.rstrip(chars)
BASE = BASE.rstrip("/")
# construct: str.lstrip(chars)
VERSION = "v14.2.0".lstrip("v")
# construct: str.strip(chars)
CHANNEL = "--stable--".strip("-")
# construct: % formatting with a tuple argument and %s
TAG = "%s-%s" % ("llvm", VERSION)
# construct: % formatting with %05d
BUILD = "b%05d" % 42
# construct: % formatting with %d
PATCH = "p%d" % 3
# construct: % formatting with %r (repr quotes sliced off)
QUOTED = ("%r" % CHANNEL)[1:-1]
# construct: % formatting with %(name)s and a dict
ASSET_FMT = "%(tool)s-%(version)s-%(target)s.tar.xz"
# construct: str.lower()
TARGETS = "X86_64-Linux-GNU,AARCH64-Linux-GNU,x86_64-Apple-Darwin".lower().split(",")

SHAS = {
    "clang": "e5c6b19082212793a0021dc1da66da44ef21893e32b69b5445e127f462c6eb0f",
    "lld": "f17082c3bc9ced4d501d5f5396ccc790f7ab630b7347dc121d8af1d1e8e123d6",
    "libcxx": "7ce3c1bf2d45e06eddba7c2b55e0265a25a10405b179055fb641735e198b3207",
    "rt": "a2f17d836bf9074b5e6a192e8a10b21c63464990688a97c4afca60b94a112713",
    "sysroot": "d23c26494c5281bc7c04ef065432cff5996de2247f3aa133add4c31c14959707",
    "extra": "46d6b3fa650dbc2f8373a56d5ddfa6f916c25bfabcd17dc9f5aac0651773d53e",
    "sdk": "2a4106ee85bc9bdb5f19263612bbbfab291e273f63c0364af64acf1d6a7490df",
    "project": "c293680e4aae34212303e7c3cd3d075ce5ca75e040c818c2e5bfb34210f19ba8",
    "docs": "9cfb6fef21b1b62dc2393c9a25506d9d140a0d5c5b912ac44e12618e46704cfa",
    "stable": "90e31f144ff8e86c787dbfff050cec225eb2a946d3fcef0e26b3f69b6ba29cb5",
    "pkg-aarch64-linux-gnu": "c039fc1aa2e084e39fcc4b7fef498176fe8a626803454059ab4de4f8ca11ec68",
    "pkg-x86_64-linux-gnu": "e89f22d54e8cbbaf8d32a183a46c08e10d2593594c277e2f24a80c8dbc97a26c",
    "pkg-x86_64-apple-darwin": "b95dc2664e350a43ea32f95ca95e3ab6789647cdd6d48e2f368fdf6ba4600a7f",
    "triple": "d350d41ff103416e6db6e7f2c47ce58906c7f6716ac9372222c17583dce6561f",
}

MANIFEST = {
    # construct: str.format positional {} and % with a dict
    "clang": {
        "url": "{}/{}/{}".format(
            BASE, TAG, ASSET_FMT % {"tool": "clang", "version": VERSION, "target": TARGETS[0]}
        ),
        "sha256": SHAS["clang"],
    },
    # construct: str.format numbered fields, one used twice
    "lld": {"url": "{0}/{1}/lld-{2}-{1}.tar.xz".format(BASE, TAG, TARGETS[1]), "sha256": SHAS["lld"]},
    # construct: str.format keyword fields; %05d
    "libcxx": {
        "url": "{base}/{tag}/{tool}-{build}.tar.xz".format(base=BASE, tag=TAG, tool="libcxx", build=BUILD),
        "sha256": SHAS["libcxx"],
    },
    # construct: str.format index and key access {1[0]} {2[arm]}
    "rt": {
        "url": "{0}/{1[0]}/{1[1]}-{2[arm]}.tar.xz".format(BASE, (TAG, "compiler-rt"), {"arm": "aarch64"}),
        "sha256": SHAS["rt"],
    },
    # construct: str.format format specs {:03d} and {:>6}; str.replace; %d
    "sysroot": {
        "url": "{}/{}/sysroot-r{:03d}-{:>6}-{}.tar.xz".format(BASE, TAG, 7, "musl", PATCH).replace(" ", "0"),
        "sha256": SHAS["sysroot"],
    },
    # construct: str.join (nested)
    "extra": {"url": "/".join([BASE, TAG, "-".join(["clang", "tools", "extra"]) + ".tar.xz"]), "sha256": SHAS["extra"]},
    # construct: str.upper()
    "sdk": {"url": "%s/%s/sdk-%s.zip" % (BASE, TAG, "win".upper()), "sha256": SHAS["sdk"]},
    # construct: str.removeprefix / str.removesuffix
    "project": {
        "url": BASE + "/" + TAG + "/" + "llvm-project-14.2.0.src.tar.xz.sig".removeprefix("llvm-").removesuffix(".sig"),
        "sha256": SHAS["project"],
    },
    # construct: str.rsplit with maxsplit
    "docs": {"url": BASE + "/" + TAG + "/" + "clang-docs-14.2.0.tar.xz".rsplit(".", 2)[0] + ".zip", "sha256": SHAS["docs"]},
    # construct: %r
    "stable": {"url": "%s/%s/toolchain-%s.tar.xz" % (BASE, TAG, QUOTED), "sha256": SHAS["stable"]},
    # construct: str.split with maxsplit
    "triple": {
        "url": "%s/%s/%s.tar.xz" % (BASE, TAG, "x86_64-apple-darwin".split("-", 1)[1]),
        "sha256": SHAS["triple"],
    },
}

for target in TARGETS:
    # construct: str.endswith choosing the archive type
    ext = "pkg" if target.endswith("darwin") else "tar.xz"
    # construct: str.startswith choosing a name
    prefix = "arm" if target.startswith("aarch64") else "x86"
    MANIFEST["pkg-" + target] = {
        "url": "%s/%s/%s-%s.%s" % (BASE, TAG, prefix, target, ext),
        "sha256": SHAS["pkg-" + target],
    }
