# expect: invalid: '([(...)],)'
t = ([],)
t[0].append(t)
MANIFEST = {"url": "https://example.com/p", "sha256": "%r" % (t,)}
