# expect: invalid: '[1, [...]]'
a = [1]
a.append(a)
MANIFEST = {"url": "https://example.com/f", "sha256": f"{a}"}
