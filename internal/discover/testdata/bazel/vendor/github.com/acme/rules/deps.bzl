load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive")

def repo():
    http_archive(
        name = "zlib_vendored",
        urls = ["https://github.com/madler/zlib/releases/download/v1.2.13/zlib-1.2.13.tar.gz"],
        sha256 = "b3a24de97a8fdbc835b9833169501030b8977031bcb54b3b3ac13740f846ab30",
    )
