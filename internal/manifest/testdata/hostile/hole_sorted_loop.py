# expect: budget line 3: budget
L = list(range(1_000_000))
for i in range(10**6):
    m = sorted(L)
