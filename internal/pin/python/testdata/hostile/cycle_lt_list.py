# expect: unresolved: RecursionError
a = []
a.append(a)
b = []
b.append(b)
same = a < a  # False, as in CPython
x = a < b
