# expect: unresolved: RecursionError
t = int
for i in range(100_000):
    t = (t,)
x = isinstance("a", t)
