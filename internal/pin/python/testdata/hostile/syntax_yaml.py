# expect: syntax line 2: incomplete
a:
  b: 1
