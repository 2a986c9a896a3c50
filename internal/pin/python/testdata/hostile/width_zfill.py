# expect: budget line 2: larger than
s = "1".zfill(10**9)
