"""Split a text into sentences, keeping exact character offsets into it.

spaCy's rule-based ``sentencizer`` on a blank English pipeline does the
splitting: its tokenizer knows English abbreviations ("Mr.", "U.S.", "Nov."),
so a full stop inside one does not end a sentence, and closing quotes stay with
the sentence they close. No statistical model is loaded (none ships on PyPI
from spaCy's authors), so nothing is downloaded. A sentence never crosses a
line break: each paragraph of the stored text is split on its own.
"""

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

_PARAGRAPH = re.compile(r"[^\n]+")
# An opening quotation mark that the splitter left at the end of the sentence
# before it belongs to the sentence it opens.
_TRAILING_OPENER = re.compile(r"\s[“‘\"]+$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def pipeline():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def split(text: str) -> list[Sentence]:
    """Every sentence of ``text``, with ``text[start:end] == sentence.text``."""
    nlp = pipeline()
    found = []
    for paragraph in _PARAGRAPH.finditer(text):
        offset = paragraph.start()
        bounds = [
            [offset + span.start_char, offset + span.end_char]
            for span in nlp(paragraph.group()).sents
        ]
        for before, after in itertools.pairwise(bounds):
            opener = _TRAILING_OPENER.search(text, before[0], before[1])
            if opener:
                before[1] = after[0] = opener.start() + 1
        for start, end in bounds:
            piece = text[start:end]
            stripped = piece.strip()
            if not stripped:
                continue
            start += len(piece) - len(piece.lstrip())
            found.append(Sentence(start, start + len(stripped), stripped))
    return found


def tokens(sentence: str):
    """The sentence as spaCy tokens (for the signals)."""
    return pipeline().make_doc(sentence)
