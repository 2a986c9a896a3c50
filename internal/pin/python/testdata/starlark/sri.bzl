# integrity holds an SRI digest.
load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive", "http_file")

http_archive(
    name = "rules_nodejs",
    urls = ["https://github.com/bazelbuild/rules_nodejs/releases/download/6.0.2/rules_nodejs-core-v6.0.2.tar.gz"],
    integrity = "sha256-Y5zblNKNrdscl2pm6Jvvz/wsPN8UU3d3vxheGQED7wQ=",
)

http_file(
    name = "big",
    url = "https://example.org/big.bin",
    integrity = "sha512-Wkc9v8x3hhqI4ZfQ3f8lx5NLThot6zDgiWWhMKSogYHjT+PQE0eiGJ4999IHl74dCwv/RIg+msFkoY7Aa+/BAQ==",
)
