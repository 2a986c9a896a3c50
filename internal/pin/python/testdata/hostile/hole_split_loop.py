# expect: budget line 4: (in the loop at line 3)
s = "x " * 4_000_000
for i in range(10**6):
    parts = s.split()
