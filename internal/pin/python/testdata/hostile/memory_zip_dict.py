# expect: budget line 2: memory budget
d = dict(zip(range(2_000_000), range(2_000_000)))
