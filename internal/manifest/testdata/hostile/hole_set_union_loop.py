# expect: budget line 3: budget
s = set(range(500_000))
for i in range(10**6):
    u = s | s
