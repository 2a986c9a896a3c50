# expect: budget line 2: the loop here did not finish
for i in range(10**6):
    s = f"{i:>8000000}"
