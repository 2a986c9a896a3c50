"""Builds the images; it pins nothing itself."""

import subprocess


def build(kernel: str) -> None:
    subprocess.run(["make", "-C", "images", f"KERNEL={kernel}"], check=True)
