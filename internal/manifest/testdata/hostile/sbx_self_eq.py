# expect: a failed evaluation (a list that contains itself, compared with ==, overflowed the Go stack); the process evaluating it survives
a = []
a.append(a)
x = a == a
MANIFEST = {}
