# expect: budget line 3: the loop here did not finish
s = "1" * 8_000_000
for i in range(10**6):
    try:
        n = int(s)
    except ValueError:
        pass
