"""Where a claim's quote sits in its source's stored text.

A quote is anchored the way the W3C Web Annotation model describes: by
position (TextPositionSelector: start and end character offsets) and by
content (TextQuoteSelector: the exact words plus up to 32 characters before
and after). Matching is exact: typographic quotes, dashes and non-breaking
spaces are characters like any other, never normalised away.

- A quote that occurs once is anchored there.
- A quote that occurs more than once needs a start offset to pick one.
- A quote that does not occur is refused.

When a source's text changes, ``relocate`` finds where a quote is now, if that
place is certain (``factcheck.reanchoring`` applies it to the source's claims).
Everything here is pure: text in, positions out; nothing touches the database.
"""

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


def anchor_at(text: str, start: int, length: int) -> Anchor:
    end = start + length
    return Anchor(
        start=start,
        end=end,
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
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


def anchor_quote(text: str, quote: str, start: int | None = None) -> Anchor:
    """Anchor ``quote`` in ``text``; ``start`` picks among several occurrences.

    Raises QuoteNotFound, QuoteAmbiguous or OffsetMismatch with a message an
    editor can act on.
    """
    if not quote:
        raise QuoteNotFound("The quote is empty: paste the exact words from the source.")
    starts = find_occurrences(text, quote)
    if not starts:
        raise QuoteNotFound(
            "This quote does not occur in the source’s stored text. Copy the exact "
            "words from the source: matching is exact, so typographic quotes (“ ” ’), "
            "dashes (– —) and non-breaking spaces must match too."
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
