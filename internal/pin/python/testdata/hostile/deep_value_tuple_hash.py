# expect: ok
t = ()
for i in range(100_000):
    t = (t,)
d = {t: 1}
ok = t in d
