# expect: budget line 4: memory budget
def f(*args):
    return len(args)
n = f(*range(8_000_000))
