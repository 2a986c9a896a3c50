# expect: budget line 5: walking MANIFEST
t = ({"url": "https://example.com/t", "sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},)
for i in range(60):
    t = (t, t)
MANIFEST = t
del t
