# expect: budget line 2: memory budget
L = [0] * 5_000_000
