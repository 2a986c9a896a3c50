# expect: budget line 2: larger than
s = "{:^{}}".format("x", 10**9)
