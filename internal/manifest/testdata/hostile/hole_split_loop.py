# expect: budget line 3: budget
s = "x " * 4_000_000
for i in range(10**6):
    parts = s.split()
