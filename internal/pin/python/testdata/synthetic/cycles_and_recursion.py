"""Mirror assets named from self-containing values.

Covers what CPython does with values that contain themselves: repr and
str print [...] and {...}, an element equals itself by identity (so a
self-containing list equals itself and is found in a list holding it),
ordering stops at the first differing element, and comparing two distinct
self-containing lists raises RecursionError, which a try statement
catches. The pin walk reaches every row once per route, despite the
cycles.
"""

SHA = "4b3c1a2f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b"
BASE = "https://example.com/cycles/"

# construct: a list that contains itself
LOOP = ["head"]
LOOP.append(LOOP)
# construct: a dict that contains itself
NODE = {"name": "node"}
NODE["self"] = NODE

OTHER = ["head"]
OTHER.append(OTHER)

# construct: repr and str of self-containing values, in f-strings and %
REPR_NAME = repr(LOOP)
STR_NAME = "%s" % (NODE,)
FSTRING_NAME = f"{LOOP!r}-{len(LOOP)}"

# construct: identity decides ==, in and < between a value and itself
SAME = LOOP == LOOP
FOUND = LOOP in [LOOP, OTHER]
NOT_LESS = LOOP < LOOP

# construct: RecursionError from comparing two distinct cycles, caught
try:
    CMP = "equal" if LOOP == OTHER else "different"
except RecursionError:
    CMP = "recursion"

ROWS = [
    {"url": BASE + REPR_NAME.replace(" ", ""), "sha256": SHA},
    {"url": BASE + STR_NAME.replace(" ", "").replace("'", ""), "sha256": SHA},
    {"url": BASE + FSTRING_NAME.replace(" ", ""), "sha256": SHA},
    {"url": BASE + ("same" if SAME and FOUND and not NOT_LESS else "differ"), "sha256": SHA},
    {"url": BASE + CMP, "sha256": SHA},
]
# construct: the container of pins refers to itself
ROWS.append(ROWS)
MANIFEST = {"rows": ROWS, "loop": LOOP, "node": NODE}
