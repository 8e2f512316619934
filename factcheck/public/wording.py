"""Two texts side by side, word by word: what the article says and what its source said.

Used where the article reports a source's words and an independent source
quotes the original: the words that differ are marked on both sides. Words
are compared without regard to case, quotation marks or punctuation around
them, so “systemic” and systematic differ and "Attack" and attack do not.
"""

import difflib
import re
from dataclasses import dataclass

_TOKENS = re.compile(r"\s+|\S+")
_EDGES = re.compile(r"^\W+|\W+$")


@dataclass(frozen=True)
class Piece:
    text: str
    differs: bool = False


def _normal(token: str) -> str:
    return _EDGES.sub("", token).casefold()


def compare(left: str, right: str) -> tuple[list[Piece], list[Piece]]:
    """Both texts as pieces, each word marked if it has no counterpart on the other side."""
    sides = [_TOKENS.findall(text) for text in (left, right)]
    words = [[i for i, token in enumerate(tokens) if _normal(token)] for tokens in sides]
    keys = [[_normal(sides[n][i]) for i in words[n]] for n in (0, 1)]
    matcher = difflib.SequenceMatcher(a=keys[0], b=keys[1], autojunk=False)
    differing = [set(range(len(keys[0]))), set(range(len(keys[1])))]
    for block in matcher.get_matching_blocks():
        differing[0] -= set(range(block.a, block.a + block.size))
        differing[1] -= set(range(block.b, block.b + block.size))
    result = []
    for n in (0, 1):
        marked = {words[n][k] for k in differing[n]}
        result.append([Piece(token, i in marked) for i, token in enumerate(sides[n])])
    return result[0], result[1]
