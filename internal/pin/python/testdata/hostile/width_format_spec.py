# expect: unresolved: invalid format specifier
s = format(1, "1000000000d")
