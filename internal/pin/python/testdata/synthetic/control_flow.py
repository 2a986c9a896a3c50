"""Board firmware images.

Covers assignments (chained, annotated, unpacking, augmented), module-level
and in-function control flow, functions with every parameter kind,
recursion, and the value semantics of boolean operators and comparisons.
"""

# construct: chained assignment
ORG = OWNER = "acme"
# construct: annotated assignment
VERSION: str = "3.1.0"
# construct: tuple unpacking
MAJOR, MINOR, PATCH = VERSION.split(".")
# construct: starred unpacking
PRIMARY, *OTHERS = ["rpi4", "rock5", "jetson", "legacy-m3"]
# construct: augmented assignment += on a str
BASE = "https://github.com/"
BASE += OWNER + "/firmware/releases/download"
# construct: augmented assignment += on a list
BOARDS = [PRIMARY]
BOARDS += OTHERS[:2]

SHAS = {"rpi4": "c08d1a84d99e321ab58e534357eacfd8d0dc582e32aa2fa9d0f5aeaaa9a17aff"}
# construct: augmented assignment |= on a dict
SHAS |= {"rock5": "6055ca79cd8b61d8f933f7a63febd53067667fb27ca42f3de53a1df7be33bf93", "legacy-m3": "170770704f153198d5c0d528cc316b3e3138eeba6a18fb81dad1720194407b40"}
# construct: dict.update() with a mapping and keywords
SHAS.update({"zz-eol": "eec0286024d4e248940639fa50748c10bc7b07a28042cda8dcaffe3f89498a8f"}, jetson="89b79720c06674d7b3be9d1c906cfa62c5d158df5b5711029837fe7e5b6ca714")

# construct: module-level if/elif/else
if MAJOR == "2":
    TAG = "v" + VERSION + "-lts"
elif MAJOR == "3":
    TAG = "v" + VERSION
else:
    TAG = "legacy"


# construct: def with positional, default and keyword-only parameters; local variables; return
def asset_url(board, variant="full", *, ext="img.xz", tag=TAG):
    name = board + "-" + variant
    return f"{BASE}/{tag}/{name}.{ext}"


# construct: *args and **kwargs
def join_path(*parts, **opts):
    sep = opts.get("sep", "/")
    return sep.join(parts)


# construct: recursion (depth 5) building a path
def overlay_dir(depth):
    if depth == 0:
        return "overlays"
    return overlay_dir(depth - 1) + "/v" + str(depth)


# construct: if/elif/else in a function; `is not None`
def channel_for(board, override=None):
    if override is not None:
        return override
    elif board in ("jetson", "orin"):
        return "nvidia"
    else:
        return "mainline"


MANIFEST = {}

# construct: for loop with a tuple target over .items(); continue; break
for board, sha in sorted(SHAS.items()):
    if board.startswith("legacy"):
        continue  # legacy boards ship no image
    if board == "zz-eol":
        break  # everything after the end-of-life marker is unpublished
    MANIFEST[board] = {"url": asset_url(board, channel_for(board)), "sha256": sha}

# construct: while loop with a bound
attempt = 0
SLOTS = []
while attempt < 3:
    SLOTS.append(f"recovery-{attempt}")
    attempt += 1
MANIFEST["recovery"] = {"url": asset_url(SLOTS[-1], "min", ext="bin"), "sha256": "fd5388f9eb79dd373845cb15c78c9f20d635e22ce5b9950f63892a868ec16056"}

SUFFIX = None
# construct: `or` yields its first truthy operand
EXT = SUFFIX or "img.zst"
# construct: `and` yields its last operand when all are truthy
DEBUG_TAG = VERSION and TAG + "-debug"
# construct: `and` yields the first falsy operand
EMPTY = "" and "never"
# construct: not
SIGNED = not EMPTY
# construct: conditional expression
VARIANT = "signed" if SIGNED else "unsigned"
# construct: chained comparison
IN_RANGE = 2 < int(MAJOR) < 4
# construct: in / not in
HAS_JETSON = "jetson" in BOARDS
NO_LEGACY = "legacy-m3" not in BOARDS
# construct: is None
UNSET = SUFFIX is None

MANIFEST["debug"] = {
    "url": asset_url("rpi4", VARIANT if IN_RANGE else "broken", tag=DEBUG_TAG, ext=EXT),
    "sha256": "9d3fc4f1fef4770c28e67865bd90bca355a252fcb62f900a2b154c1817f9fc35",
}
MANIFEST["flags"] = {
    # construct: nested calls; keyword argument overriding a default
    "url": join_path(BASE, TAG, overlay_dir(5), channel_for("rock5", override="edge") + ".dtbo", sep="/"),
    "sha256": "01dbdbfdc1b88c379a1442b6afec9609d883d731c37aefc14936fd8501a9c433",
}
MANIFEST["matrix"] = {
    "url": asset_url(
        "jetson" if HAS_JETSON and NO_LEGACY and UNSET else "none",
        "-".join([MINOR, PATCH, ORG]),
        ext=EMPTY or "tar",
    ),
    "sha256": "cfa933f60061cba84ebbf38fcaf2283c3d04dd7a85730aac31f49dae6aa0fa60",
}
