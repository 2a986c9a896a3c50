# expect: pins 1
MANIFEST = [{"url": "https://example.com/w", "sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}]
MANIFEST.append(MANIFEST)
d = {"self": None}
d["self"] = d
