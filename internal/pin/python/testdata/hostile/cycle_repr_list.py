# expect: invalid: '[[...]]'
a = []
a.append(a)
MANIFEST = {"url": "https://example.com/a", "sha256": repr(a)}
