# expect: unresolved: RecursionError
a = []
a.append(a)
b = []
b.append(b)
x = max([a], [b])
