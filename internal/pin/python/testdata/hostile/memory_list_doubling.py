# expect: budget line 4: memory budget
L = [0] * 1000
while True:
    L = L + L
