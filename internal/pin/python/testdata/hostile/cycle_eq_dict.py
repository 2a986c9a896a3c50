# expect: unresolved: RecursionError
d = {}
d["x"] = d
e = {}
e["x"] = e
x = d == e
