"""Language runtime tarballs.

Covers collection literals, unpacking, comprehensions, generator
expressions, subscripts and slices, dict methods, lambdas and the builtins
manifests reach for (dict, list, tuple, sorted, zip, enumerate, range, len,
min, max, str, int, any, all, isinstance).
"""

BASE = "https://github.com/acme/runtimes/releases/download"
# construct: tuple literal
VERSIONS = ("1.20.4", "1.21.9", "1.22.2", "1.23.0")
# construct: list literal
ARCHES = ["amd64", "arm64", "riscv64"]
# construct: set literal (membership only: iteration order is unspecified)
SUPPORTED = {"amd64", "arm64"}
# construct: dict literal with tuple keys
SHAS = {
    ("1.21.9", "amd64"): "aa23c8682a034da4f8a1415215c0ad2860aae19d0584ae77e76565d746da06f7",
    ("1.21.9", "arm64"): "455bd10a8c8e96746135436a00007b8549dee6935f39923efa53dcbeff991546",
    ("1.22.2", "amd64"): "697f58975d2f2b9c67136b44f5f7a321650530904cb9d527a594ab3af0ce9c10",
    ("1.22.2", "arm64"): "87cc93ef9fe11e4cfbec568c9ea78131386140b3457e506375d80a61b0e1536c",
    ("1.20.4", "riscv64"): "2f591485a4417aa6ae2a74fe08fe99cf05a28140af47334c357eabf2e939d2f0",
}
EXTRA_SHAS = {
    "nightly": "ee51c8c94e87a58c22c300d161321ff2f5a716944cf5bc6e35d442987a63ba59",
    "latest": "d3536fd5f2de83f4c5766faba8f927c77a29969a12eef88cd1ec4434428e1a40",
    "patchiest": "042708b93205dea91bfebcc5bac0e846a53fe862bcb4fbee5e02f52ad5b4d01f",
    "oldest": "c5605eb8fe5b71a549da6518e02f9c8e8ac7a5644135841331b7010bbac3e3ef",
    "majors": "0ce0522183a28d777f35331aa477f896069714182bb3b500da7e1eea01621f1d",
    "s390x": "e63119ab8ede87164c10d7014eefd6fd607e656ba3ddcd0496038cb627ffb9d5",
    "riscv": "ed8a1115ac0fefcdad7db856b871477d235f07bb094cafeec6f0f1ddf043082c",
    "docs": "8e697279d2a78ecfe6e44fe994f00130a71f9ab4925b2dc66f054990a79a6f55",
    "src": "1d34fb1af939d16c004256c60234ee896ded9f98af404157e67485ad7ce14698",
    "bundle": "d52b38aa423df5cfd4d5aa352507ff0b9fe5e3124222f6a40a4d11c7c81ca594",
}

# construct: slice with negative stop
OLDER = VERSIONS[1:-1]
# construct: slice with a step
EVEN = VERSIONS[::2]
# construct: slice with a negative step
NEWEST_FIRST = VERSIONS[::-1]


# construct: lambda
tarball = lambda v, a, ext="tar.gz": f"{BASE}/v{v}/runtime-{v}-{a}.{ext}"  # noqa: E731

# construct: dict comprehension with nested for and an if clause
CORE = {
    (v, a): {"url": tarball(v, a), "sha256": SHAS[(v, a)]}
    for v in OLDER
    for a in ARCHES
    if a in SUPPORTED
}

# construct: list comprehension with an if clause
LABELS = [a.upper() for a in ARCHES if a != "riscv64"]
# construct: set comprehension (sorted before use)
MINORS = {v.split(".")[1] for v in VERSIONS}
# construct: * unpacking in a list literal
ALL_ARCHES = [*ARCHES, "s390x"]
# construct: generator expression passed to str.join
SUPPORTED_SLUG = "-".join(a for a in ARCHES if a in SUPPORTED)
# construct: generator expression passed to tuple()
LENGTHS = tuple(len(a) for a in ARCHES)


def record(url, sha256, **extra):
    # construct: dict() from keywords, with ** unpacking in the call
    return dict(url=url, sha256=sha256, **extra)


def pick(version, arch, *, ext):
    return tarball(version, arch, ext)


EXTRAS = {
    # construct: dict.get with a default; ** unpacking in a call
    "nightly": record(
        pick(**{"version": "1.24.0-rc1", "arch": "amd64", "ext": "tar.xz"}),
        SHAS.get(("1.24.0-rc1", "amd64"), EXTRA_SHAS["nightly"]),
    ),
    # construct: sorted(reverse=True); * unpacking in a call
    "latest": record(pick(*[sorted(VERSIONS, reverse=True)[0], "arm64"], ext="zip"), EXTRA_SHAS["latest"]),
    # construct: sorted(key=lambda)
    "patchiest": record(
        tarball(sorted(VERSIONS, key=lambda v: int(v.split(".")[2]))[-1], "amd64", "tar.bz2"),
        EXTRA_SHAS["patchiest"],
    ),
    # construct: min(); slice with a step
    "oldest": dict([("url", tarball(min(EVEN), LABELS[-1].lower())), ("sha256", EXTRA_SHAS["oldest"])]),
    # construct: max(); set comprehension via sorted(); len()
    "majors": {
        "url": f"{BASE}/v{max(VERSIONS)}/compat-{'.'.join(sorted(MINORS))}-{len(ARCHES)}.tar.gz",
        "sha256": EXTRA_SHAS["majors"],
    },
    # construct: negative index on a list built with * unpacking; str(); int()
    "s390x": {"url": tarball(NEWEST_FIRST[0], ALL_ARCHES[-1] + "-r" + str(int("007"))), "sha256": EXTRA_SHAS["s390x"]},
    # construct: any() / all() over generator expressions; isinstance()
    "riscv": {
        "url": tarball(
            VERSIONS[0],
            "riscv64" if any(a.startswith("riscv") for a in ARCHES) and all(n > 4 for n in LENGTHS) else "none",
            "tar.gz" if isinstance(VERSIONS, tuple) else "zip",
        ),
        "sha256": SHAS[("1.20.4", "riscv64")],
    },
}

# construct: dict() from a mapping plus keywords
SRC = dict(EXTRAS["nightly"], url=f"{BASE}/v{VERSIONS[-1]}/runtime-src-{SUPPORTED_SLUG}.tar.gz", sha256=EXTRA_SHAS["src"])

# construct: zip(); enumerate(start=1); range(); list(); tuple()
DOCS = []
for i, (label, n) in enumerate(zip(LABELS, list(range(10, 40, 10))), start=1):
    DOCS.append(f"{BASE}/v{VERSIONS[i]}/docs-{label.lower()}-{n}.zip")
DOC_URLS = tuple(DOCS)

# construct: .keys() / .values() / .items()
KEY_COUNT = len(list(CORE.keys()))
BUNDLE = [v["url"].rsplit("/", 1)[1] for v in CORE.values()]
FIRST_KEY = [k for k, v in CORE.items() if v["sha256"] == SHAS[("1.22.2", "arm64")]][0]

MANIFEST = {
    # construct: ** unpacking in a dict literal
    **CORE,
    **EXTRAS,
    "src": SRC,
    "docs": {"url": DOC_URLS[-1], "sha256": EXTRA_SHAS["docs"]},
    "bundle": {
        "url": f"{BASE}/v{FIRST_KEY[0]}/bundle-{KEY_COUNT}-{BUNDLE[0].removesuffix('.tar.gz')}.tar.gz",
        "sha256": EXTRA_SHAS["bundle"],
    },
}
