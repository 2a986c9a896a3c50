"""Font bundles for the typeset renderer.

Covers string literal forms: every quoting style and prefix, implicit
concatenation, escapes, raw strings and f-strings. Every form below feeds
a URL in MANIFEST, so a mis-decoded literal changes the pin set.
"""

# construct: single-quoted literal
OWNER = 'acme'
# construct: double-quoted literal
REPO = "typeset"
# construct: triple-single-quoted literal
HOST = '''https://github.com'''
# construct: triple-double-quoted literal
TAG = """v2.4.1"""
# construct: u prefix (and U prefix)
KIND = u"fonts" + U""
# construct: implicit concatenation across lines inside parentheses, mixing quote styles
RELEASES = (
    "https://github.com/"
    'acme/typeset'
    """/releases"""
    '''/download'''
)
# construct: line continuation (backslash-newline) inside a string literal
RELEASES_ALT = "https://github.com/acme/typeset/releases/\
download"
# construct: implicit concatenation on one line
SUFFIX = ".tar" ".zst"
# construct: \t and \n escapes, split apart below
FAMILY_TABLE = "serif\tregular\nsans\tbold\nmono\titalic"
# construct: \x41 hex escape ("A")
ALL_NAME = "\x41ll-scripts"
# construct: \u00e9 unicode escape
CAFE = "caf\u00e9-sans"
# construct: octal escape \055 ("-")
MONO = "mono\055nerd"
# construct: escaped backslash \\
BACKSLASH = "\\"
WIN_DIR = "fonts\\cjk"
# construct: R prefix raw string: "\f" stays backslash-f, not a form feed
LEGACY_DIR = R"C:\fonts\legacy"
# construct: r prefix raw string: "\x41" stays four characters
EMOJI_RAW = r"emoji\x41"
# construct: rf prefix raw f-string: "\t" stays two characters
CJK_SLUG = rf"{WIN_DIR.split(BACKSLASH)[1]}\t{TAG}"
# construct: Fr prefix (raw f-string, other case and order)
MATH_SLUG = Fr"math\n{KIND}"

SHAS = {
    "serif": "f699d4c17702cbac3f4ca587818671547efb7187cc25d2c90325d79ed72e3914",
    "sans": '08cd32b77b1cd6f0a35479853c092492ad549bcc349f3dcc94e19ab11968a602',
    "all": "1b105b437b19bf851df6a39e856ef595925095d8efa144e98ac2850995130eee",
    "cafe": "868eca4913be1cb65c7a1a53cd9db20e5fa996f11aa59e49ef7a607ae8641488",
    "mono": "c5e503d2977534990ad2376d9d01e39d4b02f6063dbec424cbfc44e2fe189f96",
    "cjk": "e5f5730814b9631e4a8eab53385cb65e503c9f27d3b5ff82178815801be125c1",
    "legacy": "6749dfa3d2d6d1defb2d48f40f7b3105277f2e921e3d60b4fe1ae6ae681d76dc",
    "emoji": "ad7466c9adb7da00327686b37aa7ad614eeda2d98808ca2362768e6e6a0aa350",
    "math": "e58aa035973f20e3d08f2f14054cc4d946ea3e4322d346c7c2da20ba063ede63",
    "symbols": "bb0cfaeafa82f6b3f03e8d23ddb88b080e9f102da0f08545efdeaddd971a0883",
    "build": "0cacb9e47b9a64f39c706d485b112c88bc023583a549582e61e5f15fb5a52efe",
    "repr": "5537c7eb5a9428ad2a90c8c2c33fb42a5d8fb6d536b260e2a6a05070d2466153",
}

NAMES = {"emoji": "emoji", "symbols": "symbols"}

STYLES = [row.split("\t") for row in FAMILY_TABLE.split("\n")]

BUILD = 7
WEIGHT = 400


def asset(name, ext=SUFFIX):
    # construct: multi-line f-string in parentheses (implicit concatenation of f-strings)
    return (
        f"{RELEASES}/"
        f"{TAG}/"
        f"typeset-{name}{ext}"
    )


# construct: {{ and }} escapes in an f-string, filled in later by str.format
TEMPLATE = f"{RELEASES_ALT}/{{tag}}/typeset-{{name}}{SUFFIX}"

MANIFEST = {
    # construct: f-string with subscripts (uses the \t and \n escapes)
    "serif": {"url": asset(f"{STYLES[0][0]}-{STYLES[0][1]}"), "sha256": SHAS["serif"]},
    # construct: f-string with a nested call on a subscript; backslash-newline continuation
    "sans": {
        "url": f"{RELEASES_ALT}/{TAG}/typeset-{STYLES[1][0]}-{STYLES[1][1].upper()}{SUFFIX}",
        "sha256": SHAS["sans"],
    },
    # construct: hex escape
    "all": {"url": asset(ALL_NAME), "sha256": SHAS["all"]},
    # construct: unicode escape
    "cafe": {"url": asset(CAFE), "sha256": SHAS["cafe"]},
    # construct: octal escape
    "mono": {"url": asset(MONO + "-" + STYLES[2][1]), "sha256": SHAS["mono"]},
    # construct: rf raw f-string
    "cjk": {"url": asset(CJK_SLUG.replace(BACKSLASH + "t", "-")), "sha256": SHAS["cjk"]},
    # construct: R raw string ("fonts-legacy" only if "\f" stayed two characters)
    "legacy": {"url": asset("-".join(LEGACY_DIR.split(BACKSLASH)[1:]), ".zip"), "sha256": SHAS["legacy"]},
    # construct: r raw string; f-string with nested quotes inside a subscript
    "emoji": {
        "url": asset(f"{NAMES['emoji']}" + EMOJI_RAW.removeprefix("emoji").replace(BACKSLASH + "x41", "-color")),
        "sha256": SHAS["emoji"],
    },
    # construct: Fr raw f-string
    "math": {"url": asset(MATH_SLUG.replace(BACKSLASH + "n", "-")), "sha256": SHAS["math"]},
    # construct: {{ }} escapes, then str.format keyword fill; nested double quotes in a single-quoted f-string
    "symbols": {"url": TEMPLATE.format(tag=TAG, name=f'{NAMES["symbols"]}'), "sha256": SHAS["symbols"]},
    # construct: f-string format specs {n:03d} and {x:>5}; conversion !s
    "build": {
        "url": f"{RELEASES}/{TAG!s}/typeset-b{BUILD:03d}-w{WEIGHT:>5}{SUFFIX}".replace(" ", "0"),
        "sha256": SHAS["build"],
    },
    # construct: f-string conversion !r (quotes sliced off) and F prefix
    "repr": {"url": F"{HOST}/{OWNER}/{REPO}/releases/download/{f'{TAG!r}'[1:-1]}/{KIND}-all.zip", "sha256": SHAS["repr"]},
}
