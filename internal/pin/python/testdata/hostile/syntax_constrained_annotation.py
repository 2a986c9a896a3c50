# expect: syntax line 2: annotation
a: b: 1
