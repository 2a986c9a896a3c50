# pindrift-test: symbols=all
"""Editor plugin bundles described with plain dicts.

Every module-level name is walked (symbols=all). Covers dict records with
plain "url"/"sha256" and "url"/"sha" keys, prefixed keys such as
"kernel_url"/"kernel_sha", records in lists and tuples, records nested in
dicts with tuple keys, and a url without a SHA (not a pin).
"""

RELEASES = "https://github.com/acme/editor-plugins/releases/download"

# construct: dict record with "url"/"sha256"
SPELLCHECK = {
    "name": "spellcheck",
    "url": f"{RELEASES}/spellcheck-v1.4.0/spellcheck.vsix",
    "sha256": "9894b3c648b295a5ccd9e6d7b2e2b86522b0cc2f54d7ba454da91a71da3c922a",
}

# construct: dict record with "url"/"sha"
LINTER = {"url": f"{RELEASES}/linter-v0.8.2/linter.vsix", "sha": "f4f2bd87c3bb44033d0858faf7add1259c20d7a01321a761f6711344e45c4f22"}

# construct: prefixed keys "kernel_url"/"kernel_sha" and "rootfs_url"/"rootfs_sha256"
SANDBOX = {
    "kernel_url": f"{RELEASES}/sandbox-v2.0.0/vmlinux-amd64",
    "kernel_sha": "a2bfe97095274b514599d90c6827d5fb02bafc126a804a5a8eb7c0296a183540",
    "rootfs_url": f"{RELEASES}/sandbox-v2.0.0/rootfs-amd64.ext4.zst",
    "rootfs_sha256": "26cb0aa3bc1c68135e5c282548ea892e2a59057610e16d3d9cfd07a25c26af76",
    "memory_mib": 512,
}

# construct: a list of dict records
THEMES = [
    {"url": f"{RELEASES}/themes-v3.1.0/solarized.vsix", "sha256": "4df567a547515c09376ddf114a114575d0dc1e5323c58c65f810597fd86c4944"},
    {"url": f"{RELEASES}/themes-v3.1.0/gruvbox.vsix", "sha256": "3d28f44160fc57c937ec1dfd768e66e7f976f65a5dc985c422a3d33fde86d509"},
]

# construct: dict records nested inside a dict keyed by tuples, and inside a tuple
LANGUAGE_SERVERS = {
    ("lsp", "python"): {
        "server_url": f"{RELEASES}/lsp-python-v1.0.3/server-linux-amd64.tar.gz",
        "server_sha256": "a263999c93e3389c9361a64f03813cae16d1dff09d288ec9e43a359c49a1058a",
        "grammar": {"url": f"{RELEASES}/lsp-python-v1.0.3/grammar.wasm", "sha": "bb63254721e3d090cd5c5944164860a5479a27e1b1a955b9ce6a4d1c647f9831"},
    },
    ("lsp", "go"): (
        {"url": f"{RELEASES}/lsp-go-v0.4.0/server-linux-amd64.tar.gz", "sha256": "4686e5dfcde0b674c761267558ce8e1230e0503e5f7b31d67207fda6556d1749"},
    ),
}

# construct: a lowercase private name is walked too under symbols=all
_bootstrap = {"url": f"{RELEASES}/bootstrap-v1/bootstrap.sh", "sha256": "176a6410f3ae63911b698be64d07cd9a1959a924ab73f476032732674b608d0e"}

# construct: a url with no SHA partner is not a pin
DOCS = {"url": "https://github.com/acme/editor-plugins/wiki", "title": "Docs"}


def plugin(name, version):
    # construct: a dict record returned by a function
    return {
        "url": f"{RELEASES}/{name}-v{version}/{name}.vsix",
        "sha256": PLUGIN_SHAS[name],
    }


PLUGIN_SHAS = {"git": "06157b9dc9bba7a5639b7747ce644151418b8c2627f3f70d62144ca459a7712e", "docker": "c13c3c59dfcba3b8b2f106e01528d69237edfd9be35a40a16f1f09fefbd5ab44"}

# construct: record built by a comprehension over function calls
CATALOG = [plugin(n, v) for n, v in (("git", "5.2.0"), ("docker", "1.29.1"))]
