# expect: budget line 6: larger than
t = (1,)
for i in range(60):
    t = (t, t)
s = "x"
s = str(t)
