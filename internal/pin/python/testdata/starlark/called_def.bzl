# A def the file calls itself, as WORKSPACE macros are.
load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive", "http_file")

def repositories():
    http_archive(
        name = "zlib",
        urls = ["https://zlib.net/zlib-1.3.1.tar.gz"],
        sha256 = "0ea55c28f8014d8886b6248fe3da5d588f55c0823847a6b4579f1131b051b5e2",
        build_file = "//third_party:zlib.BUILD",
    )
    http_file(
        name = "jq",
        urls = ["https://github.com/jqlang/jq/releases/download/jq-1.7.1/jq-linux-amd64"],
        sha256 = "sha256:c84d384f2a25cca2a8fde5eb61b0f81f728e5f778a232211b176ea80143877bc",
    )

repositories()
