"""Dependencies of widget."""

load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive")
load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")

ZLIB_VERSION = "1.3.1"

def widget_dependencies():
    maybe(
        http_archive,
        name = "zlib",
        urls = [
            "https://github.com/madler/zlib/releases/download/v{0}/zlib-{0}.tar.gz".format(ZLIB_VERSION),
            "https://mirror.example.org/zlib/zlib-{0}.tar.gz".format(ZLIB_VERSION),
        ],
        sha256 = "9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23",
        strip_prefix = "zlib-" + ZLIB_VERSION,
    )
    http_archive(
        name = "platforms",
        url = "https://github.com/bazelbuild/platforms/releases/download/0.0.10/platforms-0.0.10.tar.gz",
        integrity = "sha256-IY7+juc20mo1cmY7N0olPAErcW2K8MB+hC6C8jigp+4=",
    )
