# expect: a failed evaluation (each find scans 8 MB for one step of the budget: minutes of CPU); the process evaluating it survives
s = "a" * 8000000
for i in range(100000):
    t = s.find("b")
MANIFEST = {}
