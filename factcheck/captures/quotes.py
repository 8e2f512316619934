"""Is a citation's passage in a capture's text? Exact match after two normalisations.

1. Whitespace: every run of Unicode whitespace (the ordinary space, tabs, line
   breaks, the no-break space U+00A0, the narrow no-break space U+202F, the thin
   and other typographic spaces, the line and paragraph separators) becomes one
   ordinary space; leading and trailing whitespace is dropped.
2. Typographic quotes: ‘ ’ ‚ ‛ ′ become ' and “ ” „ ‟ « » ″ become ".

Nothing else: no case folding, no dash folding (a hyphen is not an en dash:
"1-2" and "1–2" may differ in meaning), no accents, no ligatures.
"""

import re

SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032"  # ‘ ’ ‚ ‛ ′
DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033"  # “ ” „ ‟ « » ″
_QUOTES = str.maketrans({**dict.fromkeys(SINGLE_QUOTES, "'"), **dict.fromkeys(DOUBLE_QUOTES, '"')})
# \s in Python's str patterns is Unicode whitespace: Zs (NBSP, U+202F, thin
# spaces…), \t \n \v \f \r, U+0085, U+2028, U+2029, U+001C–U+001F.
_WHITESPACE = re.compile(r"\s+")

NORMALISATION_HELP = (
    "Checked as an exact match after normalising only: any run of whitespace (spaces, "
    "no-break and other Unicode spaces, tabs, line breaks) to one space; ‘ ’ ‚ ‛ ′ to ' "
    'and “ ” „ ‟ « » ″ to ". No case folding, no dash folding.'
)


def normalise(text: str) -> str:
    return _WHITESPACE.sub(" ", text.translate(_QUOTES)).strip()


def passage_found(passage: str, text: str) -> bool:
    """Whether ``passage`` occurs in ``text`` after normalisation (an empty passage never)."""
    needle = normalise(passage)
    return bool(needle) and needle in normalise(text)
