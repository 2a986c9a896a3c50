# expect: budget line 3: memory budget
L = [0] * 1000
while True:
    L = L + L
