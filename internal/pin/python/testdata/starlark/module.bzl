# WORKSPACE style: rules called at module level.
load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive", "http_file")
load("@bazel_tools//tools/build_defs/repo:git.bzl", "git_repository")

http_archive(
    name = "rules_cc",
    urls = ["https://github.com/bazelbuild/rules_cc/releases/download/0.0.9/rules_cc-0.0.9.tar.gz"],
    sha256 = "f20a7803a30f1fe04b935c06e13c4b64f5e7f440dace19ebc4dc2bc12118fe62",
    strip_prefix = "rules_cc-0.0.9",
)

http_file(
    name = "buildifier",
    url = "https://github.com/bazelbuild/buildtools/releases/download/v6.4.0/buildifier-linux-amd64",
    sha256 = "CBD7A653C3D82055E47298856026E6CB77BFDE1E3CE9107FD3F7764483A3751B",
    executable = True,
)

git_repository(
    name = "no_digest",
    remote = "https://github.com/example/no_digest.git",
    commit = "0123456789abcdef0123456789abcdef01234567",
)
