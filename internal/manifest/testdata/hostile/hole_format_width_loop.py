# expect: budget line 3: budget
for i in range(10**6):
    s = "%8000000d" % i
