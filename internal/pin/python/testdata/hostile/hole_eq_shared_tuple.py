# expect: budget line 8: budget
t = (1,)
u = (1,)
for i in range(60):
    t = (t, t)
    u = (u, u)
same = t == t
x = t == u
