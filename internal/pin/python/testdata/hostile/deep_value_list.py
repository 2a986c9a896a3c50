# expect: unresolved: RecursionError
x = []
y = []
for i in range(100_000):
    x = [x]
    y = [y]
same = x == y
