# expect: unresolved: invalid format specifier
s = "{:^{}}".format("x", 10**9)
