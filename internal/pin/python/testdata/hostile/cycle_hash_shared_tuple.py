# expect: ok
# Sixty doublings share every level: hashing visits each tuple once.
t = (1,)
for i in range(60):
    t = (t, t)
d = {t: 1}
ok = d[t] == 1 and t in d
del t  # walking it would visit 2**60 routes (see walk_shared_tuple.py)
