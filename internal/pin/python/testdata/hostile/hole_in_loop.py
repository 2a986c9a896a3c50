# expect: budget line 3: budget
s = "x" * 8_000_000
for i in range(10**6):
    found = "y" in s
