# expect: budget line 3: the loop here did not finish
s = "x" * 8_000_000
for i in range(10**6):
    t = s[1:]
