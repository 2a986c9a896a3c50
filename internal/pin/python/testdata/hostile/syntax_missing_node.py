# expect: syntax line 2: expected ")"
def f(:
    pass
