# URLs built by Starlark itself: str.format, % and +.
load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive", "http_file")

VERSION = "1.21.5"
MIRROR = "https://mirror.example.org"

http_archive(
    name = "go_sdk",
    urls = ["https://dl.google.com/go/go{v}.linux-amd64.tar.gz".format(v = VERSION)],
    sha256 = "03e23511fff5aba8634461fdadbea8b8f246415ba7fdf3dec41ef6b1547a7e7e",
)

http_archive(
    name = "percent",
    urls = ["%s/percent-%s.tar.gz" % (MIRROR, VERSION)],
    sha256 = "fd86717aca41c558c78c19ab2b50691179a57ba5200bc7e3317be70efd4043ad",
)

http_file(
    name = "plus",
    url = MIRROR + "/plus-" + VERSION + ".bin",
    sha256 = "383ef36928344f56ffe8fe23ceed2ad8c0db8ec222c5f56c47163747dc738a0e",
)
