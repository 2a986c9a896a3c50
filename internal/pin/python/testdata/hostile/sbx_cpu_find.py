# expect: budget line 3: the loop here did not finish
s = "a" * 8000000
for i in range(100000):
    t = s.find("b")
MANIFEST = {}
