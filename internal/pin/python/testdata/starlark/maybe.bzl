# maybe() wraps the rule; its keyword arguments are the record.
load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive", "http_file")
load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")

def deps():
    maybe(
        http_archive,
        name = "bazel_skylib",
        urls = ["https://github.com/bazelbuild/bazel-skylib/releases/download/1.5.0/bazel-skylib-1.5.0.tar.gz"],
        sha256 = "ac72bf456474cce3abfd0c586214414a352e12022e8966ac10206e1dc0cc15e4",
    )
    maybe(
        http_file,
        name = "protoc",
        url = "https://github.com/protocolbuffers/protobuf/releases/download/v25.1/protoc-25.1-linux-x86_64.zip",
        sha256 = "e07670500ef9a2f0ba8278544f44de98d1251660c64e7aac63f99d4512f8f898",
    )

deps()
