# expect: budget line 4: budget
k = "x" * 8_000_000
d = {k: 1}
for i in range(10**6):
    v = d[k]
