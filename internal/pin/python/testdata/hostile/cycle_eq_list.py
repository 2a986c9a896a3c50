# expect: unresolved: RecursionError
a = []
a.append(a)
b = []
b.append(b)
same = a == a  # True: CPython compares an element with itself by identity
x = a == b
