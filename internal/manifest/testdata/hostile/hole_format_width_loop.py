# expect: budget line 2: the loop here did not finish
for i in range(10**6):
    s = "%8000000d" % i
