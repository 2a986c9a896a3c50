# expect: budget line 4: (in the loop at line 3)
L = list(range(1_000_000))
for i in range(10**6):
    s = repr(L)
