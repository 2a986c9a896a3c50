# expect: unresolved: RecursionError
a = []
a.append(a)
b = []
b.append(b)
found = a in [a]
x = a in [b]
