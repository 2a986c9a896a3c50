# Bazel's guard against defining a repository twice: the condition is
# unknown to a reader that does not run Bazel, so every branch is read.
load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive", "http_file")

def _maybe(repo_rule, name, **kwargs):
    if not native.existing_rule(name):
        repo_rule(name = name, **kwargs)

def deps():
    _maybe(
        http_archive,
        name = "rules_pkg",
        urls = ["https://github.com/bazelbuild/rules_pkg/releases/download/0.9.1/rules_pkg-0.9.1.tar.gz"],
        sha256 = "8f9ee2dc10c1ae514ee599a8b42ed99fa262b757058f65ad3c384289ff70c4b8",
    )
    if "platforms" not in native.existing_rules():
        http_archive(
            name = "platforms",
            urls = ["https://github.com/bazelbuild/platforms/releases/download/0.0.8/platforms-0.0.8.tar.gz"],
            sha256 = "8150406605389ececb6da07cbcb509d5637a3ab9a24bc69b1101531367d89d74",
        )
    else:
        print("platforms already defined")
    http_file(
        name = "after_the_if",
        url = "https://example.org/after.bin",
        sha256 = "0d9e7d8b3e5e6e2a7e4fd6f6b1bd4a9a4ebc3f8e5d2a1b0c9f8e7d6c5b4a3f2e",
    )

deps()
