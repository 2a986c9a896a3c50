"""Pins passed through a local helper to an imported downloader."""
import tooling

def asset(kind, arch, sha):
    return tooling.fetch(kernel_url="https://dl.example.org/%s/%s" % (kind, arch), kernel_sha256=sha)

asset("kernel", "amd64", "a3961012480837ed5bcddad8017ba258e94694b559c9caed9220674c895d21c3")
asset("kernel", "arm64", "9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23")
