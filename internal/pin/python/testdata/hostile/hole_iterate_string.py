# expect: budget line 3: memory budget
s = "x" * 8_000_000
chars = list(s)
