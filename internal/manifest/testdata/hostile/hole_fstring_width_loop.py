# expect: budget line 2: budget
for i in range(10**6):
    s = f"{i:>8000000}"
