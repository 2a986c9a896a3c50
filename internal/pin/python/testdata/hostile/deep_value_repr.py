# expect: unresolved: RecursionError
x = []
for i in range(100_000):
    x = [x]
s = repr(x)
