# expect: syntax line 2: syntax error
x = (1,
