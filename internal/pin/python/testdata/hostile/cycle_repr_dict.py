# expect: invalid: "{'x': {...}}"
d = {}
d["x"] = d
MANIFEST = {"url": "https://example.com/d", "sha256": str(d)}
