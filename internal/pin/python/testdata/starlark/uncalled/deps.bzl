load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive", "http_file")
load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")

def go_rules_dependencies(version = "1.0", sha = None):
    """Called from WORKSPACE, never from this file."""
    maybe(
        http_archive,
        name = "io_bazel_rules_go",
        urls = ["https://example.com/rules_go/v{version}.tar.gz".format(version = version)],
        sha256 = "d6b2513456fe2229811da7eb67a444be7785f5323c6708b38d851d2b51e54d83",
    )
    http_file(
        name = "tool",
        url = "https://example.com/tool-1.2.bin",
        sha256 = "0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e",
    )
    http_file(
        name = "patched",
        url = "https://example.com/patched.bin",
        sha256 = sha,
    )
    stray = "5b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e"
    http_archive(
        name = "templated",
        version = "2.0",
        urls = ["https://example.com/templated-{version}.tar.gz"],
        sha256 = "1b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e",
    )
    http_archive(
        name = "missing",
        urls = ["https://example.com/missing-{release}.tar.gz"],
        sha256 = "2b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e0b3e",
    )
    http_archive(
        name = "weak",
        url = "https://example.com/weak.tar.gz",
        sha256 = "md5:0123456789abcdef0123456789abcdef",
    )

def _unused_helper():
    return "https://example.com/unused.tar.gz"
