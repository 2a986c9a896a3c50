# Constants from helper functions, and a helper that forwards **kwargs.
load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive", "http_file")

_VERSIONS = {
    "1.2.0": "1739dd7dc84b6c7286f97695468c13e13c68fcdc9b377edef86bc651080ada35",
    "1.3.0": "81606241cf0ca20afd30ed0b898ad3c2ed2e9401e20c1dce5128731eee48daae",
}

def _url(version):
    return "https://example.org/tool/v%s/tool-%s.tar.gz" % (version, version)

def _sha(name):
    return {"lib": "76b5a357391276b282a516f54f48ef3c207f46d8192dc58c208d5183d38415f8"}[name]

def _dep(**kwargs):
    http_archive(**kwargs)

LIB_SHA = _sha("lib")

def tool_repositories():
    for version, sha in sorted(_VERSIONS.items()):
        _dep(
            name = "tool_" + version.replace(".", "_"),
            urls = [_url(version)],
            sha256 = sha,
        )
    _dep(
        name = "lib",
        urls = ["https://example.org/lib.tar.gz"],
        sha256 = LIB_SHA,
    )

tool_repositories()
