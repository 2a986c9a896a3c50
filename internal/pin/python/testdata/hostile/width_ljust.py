# expect: budget line 2: larger than
s = "x".ljust(10**9)
