# expect: unresolved: Max string recursion exceeded
s = "{:{:{}}}".format(1, 2, 3)
