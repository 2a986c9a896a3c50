# expect: syntax line 2: incomplete
x =
1
