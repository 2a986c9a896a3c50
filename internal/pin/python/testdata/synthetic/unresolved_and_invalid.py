"""Pins the evaluator must refuse.

An unknown import feeding a URL or a SHA leaves the pin unresolved; a SHA
that is not 64 hex digits is invalid. This file is not compared with the
CPython oracle (its import stubs would invent a value for MIRROR);
oracle_test.go asserts these findings directly, by line number, so keep
the line numbers below in step with TestUnresolvedAndInvalid.
"""

from acme_mirrors import MIRROR, ROOTFS_SHA

RELEASES = "https://github.com/acme/widgets/releases/download/v1.2.3"

MANIFEST = {
    # construct: a valid pin next to the refused ones
    "ok": {"url": f"{RELEASES}/widget-amd64.tar.zst", "sha256": "5a19ed88a39286d13fc7ca16408c2ed17200472922a7fbac697a83848bbb9b6a"},
    # construct: unknown import used in a URL (unresolved)
    "mirrored": {"url": f"{MIRROR}/widget-arm64.tar.zst", "sha256": "b393d09d7c7ad8aef85396dc7647b04ef9a71ebd28078ba59f4b7c84ae528e43"},
    # construct: unknown import used as the SHA (unresolved)
    "rootfs": {"url": f"{RELEASES}/rootfs-amd64.ext4.zst", "sha256": ROOTFS_SHA},
    # construct: a SHA of 63 hex digits (invalid)
    "short": {"url": f"{RELEASES}/widget-riscv64.tar.zst", "sha256": "f4fe588c5330c5459e336896af589b566ba1d1203a186ceb08ec4aa3641b9d9"},
    # construct: a SHA of 64 characters that are not all hex (invalid)
    "nonhex": {"url": f"{RELEASES}/widget-s390x.tar.zst", "sha256": "1ee3954ca64edf38af7a655dadf9feb5f8ba8870910d5514e42d62fa179dzxqg"},
}
