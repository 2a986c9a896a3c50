# expect: budget line 4: (in the loop at line 3)
s = set(range(100_000))
for i in range(10**6):
    u = s | s
