# expect: syntax line 2: UTF-8
x = 'ÿþ'
