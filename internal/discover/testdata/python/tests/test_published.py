from pkg.images import published


def test_kernels_have_digests():
    assert all(len(k["sha256"]) == 64 for k in published.BASE_KERNELS.values())
