"""Where a claim's quote sits in its source's stored text.

A quote is anchored the way the W3C Web Annotation model describes: by
position (TextPositionSelector: start and end character offsets) and by
content (TextQuoteSelector: the exact words plus up to 32 characters before
and after). Matching is exact, with one allowance: a quote that does not occur
as typed may differ from the text in its kinds of space (an ordinary space
typed where the text has a no-break space U+00A0, a narrow no-break space
U+202F or another Unicode space separator), one space for one space. Typographic
quotes, dashes and line breaks are characters like any other. The anchor
carries the quote as the text has it, character for character.

- A quote that occurs once is anchored there.
- A quote that occurs more than once needs a start offset to pick one.
- A quote that does not occur is refused, with the closest match and the first
  character that differs named.

When a source's text changes, ``relocate`` finds where a quote is now, if that
place is certain (``factcheck.reanchoring`` applies it to the source's claims).
Everything here is pure: text in, positions out; nothing touches the database.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError

CONTEXT_CHARS = 32
_SHOWN_OCCURRENCES = 10


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    prefix: str
    suffix: str
    quote: str  # the anchored words exactly as the text has them


class AnchorError(ValidationError):
    """The quote cannot be anchored in the source text."""


class QuoteNotFound(AnchorError):
    pass


class QuoteAmbiguous(AnchorError):
    def __init__(self, message, occurrences):
        super().__init__(message)
        self.occurrences = occurrences


class OffsetMismatch(AnchorError):
    pass


def find_occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every exact occurrence of quote, overlaps included."""
    if not quote:
        return []
    starts, position = [], text.find(quote)
    while position != -1:
        starts.append(position)
        position = text.find(quote, position + 1)
    return starts


# Every Unicode space separator (category Zs): space, no-break space, ogham space
# mark, the typographic spaces U+2000-U+200A, narrow no-break space, medium
# mathematical space and ideographic space. Line breaks and tabs are not among them.
SPACE_SEPARATORS = "\u0020\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_SPACE_SEPARATORS = re.compile(f"[{SPACE_SEPARATORS}]")


def same_spaces(text: str) -> str:
    """``text`` with every kind of space made an ordinary space: same length, same offsets."""
    return _SPACE_SEPARATORS.sub(" ", text)


def find_occurrences_any_space(text: str, quote: str) -> list[int]:
    """Start offsets where quote occurs if every kind of space counts as a space."""
    return find_occurrences(same_spaces(text), same_spaces(quote))


def anchor_at(text: str, start: int, length: int) -> Anchor:
    end = start + length
    return Anchor(
        start=start,
        end=end,
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        quote=text[start:end],
    )


def excerpt(text: str, start: int, end: int, context: int = 40) -> str:
    """The quoted span in [brackets] with a little text either side, one line."""
    before = text[max(0, start - context) : start]
    after = text[end : end + context]
    lead = "…" if start > context else ""
    tail = "…" if end + context < len(text) else ""
    shown = f"{lead}{before}[{text[start:end]}]{after}{tail}"
    return " ".join(shown.split())


def _describe(text: str, quote: str, starts: list[int]) -> str:
    lines = [
        f"at character {start}: “{excerpt(text, start, start + len(quote))}”"
        for start in starts[:_SHOWN_OCCURRENCES]
    ]
    if len(starts) > _SHOWN_OCCURRENCES:
        lines.append(f"and {len(starts) - _SHOWN_OCCURRENCES} more")
    return "; ".join(lines)


_CONTROL_NAMES = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN"}


def character_name(character: str) -> str:
    """A character as an editor can tell it apart: “ (LEFT DOUBLE QUOTATION MARK)."""
    name = unicodedata.name(character, "") or _CONTROL_NAMES.get(character)
    if not name:
        return f"the character U+{ord(character):04X}"
    if character.isspace() or not character.isprintable():  # invisible: its name alone
        return f"an {name}" if name[0] in "AEIOU" else f"a {name}"
    return f"{character} ({name})"


def closest_match(text: str, quote: str) -> str:
    """Where the quote stops matching the text: its longest beginning that occurs
    (spaces of any kind equal) and the first character that differs there."""
    spaced_text, spaced_quote = same_spaces(text), same_spaces(quote)
    low, high = 0, len(quote)  # the longest matching beginning is low characters long
    while low < high:
        middle = (low + high + 1) // 2
        if spaced_quote[:middle] in spaced_text:
            low = middle
        else:
            high = middle - 1
    if low == 0:
        return f"Not even its first character, {character_name(quote[0])}, occurs in the text."
    at = spaced_text.find(spaced_quote[:low])
    found = f"The closest match is at character {at}: “{excerpt(text, at, at + low)}” "
    found += f"(the first {low} characters of your quote)."
    if at + low >= len(text):
        return f"{found} The text ends there, before the rest of your quote."
    return (
        f"{found} After that, the text has {character_name(text[at + low])} where you "
        f"typed {character_name(quote[low])}."
    )


def anchor_quote(text: str, quote: str, start: int | None = None) -> Anchor:
    """Anchor ``quote`` in ``text``; ``start`` picks among several occurrences.

    A quote not found as typed is looked for with every kind of space equal
    (see ``same_spaces``); the anchor's ``quote`` is then the text's own
    characters. Raises QuoteNotFound, QuoteAmbiguous or OffsetMismatch with a
    message an editor can act on.
    """
    if not quote:
        raise QuoteNotFound("The quote is empty: paste the exact words from the source.")
    starts = find_occurrences(text, quote) or find_occurrences_any_space(text, quote)
    if not starts:
        raise QuoteNotFound(
            "This quote does not occur in the source’s stored text. Copy the exact "
            "words from the source: typographic quotes (“ ” ’) and dashes (– —) must "
            f"match; kinds of space need not. {closest_match(text, quote)}"
        )
    if len(starts) == 1:
        return anchor_at(text, starts[0], len(quote))
    if start is None:
        raise QuoteAmbiguous(
            f"This quote occurs {len(starts)} times in the source text; set the start "
            f"offset to the one you mean: {_describe(text, quote, starts)}.",
            occurrences=starts,
        )
    if start not in starts:
        raise OffsetMismatch(
            f"The start offset {start} is not where this quote occurs. It occurs "
            f"{len(starts)} times: {_describe(text, quote, starts)}.",
        )
    return anchor_at(text, start, len(quote))


@dataclass(frozen=True)
class Relocation:
    """Where a quote is after its source text changed: an anchor, or why not."""

    anchor: Anchor | None
    problem: str = ""


def relocate(text: str, quote: str, prefix: str, suffix: str) -> Relocation:
    """Find ``quote`` again in a changed text, or say why it cannot be placed.

    Found once: it moves there. Found several times: the recorded context
    (prefix and suffix) must single out exactly one occurrence; a lookalike
    passage elsewhere is never chosen. Found nowhere: orphaned.
    """
    starts = find_occurrences(text, quote)
    if not starts:
        return Relocation(None, "the quote no longer occurs in the source text")
    if len(starts) == 1:
        return Relocation(anchor_at(text, starts[0], len(quote)))
    same_context = [
        start
        for start in starts
        if (candidate := anchor_at(text, start, len(quote))).prefix == prefix
        and candidate.suffix == suffix
    ]
    if len(same_context) == 1:
        return Relocation(anchor_at(text, same_context[0], len(quote)))
    return Relocation(
        None,
        f"the quote now occurs {len(starts)} times and its recorded context "
        f"{'matches none' if not same_context else 'matches several'} of them",
    )


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the paragraph(s) around [start, end); paragraphs split on blank lines."""
    para_start = text.rfind("\n\n", 0, start)
    para_start = 0 if para_start == -1 else para_start + 2
    para_end = text.find("\n\n", end)
    return para_start, len(text) if para_end == -1 else para_end
