# expect: unresolved: width or precision 100000000 from * is too big
x = "%.*f" % (10**8, 1.0)
