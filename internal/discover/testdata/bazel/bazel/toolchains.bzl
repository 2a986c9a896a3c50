"""Toolchains: the version comes from another file, so the URL cannot be known here."""

load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive")
load("//bazel:versions.bzl", "TOOLCHAIN_VERSION")

def widget_toolchains():
    http_archive(
        name = "widget_toolchain",
        url = "https://github.com/acme/toolchain/releases/download/v%s/toolchain.tar.gz" % TOOLCHAIN_VERSION,
        sha256 = "4bf5e4d4ee9e3b6c7e8b2c0e1d1c1ad1b3f3a8d4a5c6b7e8f9a0b1c2d3e4f5a6",
    )
    http_archive(
        name = "protoc",
        url = "https://github.com/protocolbuffers/protobuf/releases/download/v27.0/protoc-27.0-linux-x86_64.zip",
        sha256 = "f4e5d6c7b8a9f0e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d",
    )
