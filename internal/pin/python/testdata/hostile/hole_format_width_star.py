# expect: unresolved: width or precision 1000000000 from * is too big
x = "%*d" % (10**9, 1)
