# expect: budget line 3: (in the loop at line 2)
for i in range(10**6):
    s = "%8000000d" % i
