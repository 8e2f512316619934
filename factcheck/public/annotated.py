"""Where each published quote sits in its article's stored text, for readers.

A published revision records its quote's offsets in the text as it was when
published. If the stored text has changed since, the quote is found again
the way ``factcheck.anchoring`` re-anchors claims (exact words, with the
recorded context to choose between repeats). A quote that cannot be placed
with certainty is listed apart, never guessed.
"""

import itertools
from dataclasses import dataclass, field

from factcheck import anchoring


@dataclass(frozen=True)
class Placement:
    start: int
    end: int


def place(text: str, revision) -> Placement | None:
    """The quote's place in ``text`` now, or None if it no longer anchors."""
    start, end = revision.quote_start, revision.quote_end
    if text[start:end] == revision.quote:
        return Placement(start, end)
    found = anchoring.relocate(text, revision.quote, revision.quote_prefix, revision.quote_suffix)
    if found.anchor is None:
        return None
    return Placement(found.anchor.start, found.anchor.end)


@dataclass
class Segment:
    text: str
    claims: list = field(default_factory=list)  # covering this text, innermost first
    starts: list = field(default_factory=list)  # claims whose quote starts here
    ends: list = field(default_factory=list)  # claims whose quote ends here

    @property
    def claim(self):
        return self.claims[0] if self.claims else None


@dataclass
class Paragraph:
    start: int
    segments: list[Segment]
    heading: bool = False
    role: str = ""  # e.g. "image-caption": what the paragraph is, when it is not body text


@dataclass
class AnnotatedText:
    paragraphs: list[Paragraph]
    placed: list  # claims in reading order, each with ``.placement``
    unplaced: list  # claims whose quote no longer anchors
    headline: Paragraph | None = None  # the first paragraph, when it is the title


def annotate(
    text: str, claims, roles: dict[str, str] | None = None, title: str = ""
) -> AnnotatedText:
    """Split ``text`` into paragraphs (blank-line separated) and those into
    segments, each knowing which published claims cover it.

    Quotes may overlap or nest; a segment covered by several claims lists the
    shortest quote first, which is the one its highlight links to. ``roles``
    names paragraphs that are not body text, by their exact text (a photo
    caption, say). A first paragraph that reads the same as ``title`` is the
    ``headline``, not one of the ``paragraphs``: the page shows it once, as its
    heading, with its highlights.
    """
    roles = {paragraph: role for paragraph, role in (roles or {}).items() if paragraph}
    placed, unplaced = [], []
    for claim in claims:
        claim.placement = place(text, claim.live_revision)
        (placed if claim.placement else unplaced).append(claim)
    placed.sort(key=lambda c: (c.placement.start, -c.placement.end, c.pk))

    paragraphs, offset = [], 0
    for number, chunk in enumerate(text.split("\n\n")):
        start, end = offset, offset + len(chunk)
        offset = end + 2
        if chunk.strip():
            inside = [c for c in placed if c.placement.start < end and c.placement.end > start]
            paragraphs.append(
                Paragraph(
                    start,
                    _segments(text, start, end, inside),
                    heading=number == 0,
                    role=roles.get(chunk, ""),
                )
            )
    headline = None
    if paragraphs and paragraphs[0].heading and _same_words(text, paragraphs[0], title):
        headline = paragraphs.pop(0)
    return AnnotatedText(paragraphs, placed, unplaced, headline)


def _same_words(text: str, paragraph: Paragraph, title: str) -> bool:
    """Whether the paragraph reads as ``title`` (whatever its spaces)."""
    words = "".join(segment.text for segment in paragraph.segments)
    return bool(title.split()) and words.split() == title.split()


def _segments(text: str, start: int, end: int, claims) -> list[Segment]:
    cuts = {start, end}
    for claim in claims:
        cuts.add(max(start, claim.placement.start))
        cuts.add(min(end, claim.placement.end))
    cuts = sorted(cuts)
    segments = []
    for left, right in itertools.pairwise(cuts):
        covering = sorted(
            (c for c in claims if c.placement.start <= left and c.placement.end >= right),
            key=lambda c: c.placement.end - c.placement.start,
        )
        segments.append(
            Segment(
                text=text[left:right],
                claims=covering,
                starts=[c for c in claims if c.placement.start == left],
                ends=[c for c in claims if c.placement.end == right],
            )
        )
    return segments


def paragraph_of(text: str, placement: Placement) -> tuple[str, str, str]:
    """(before, quote, after): the paragraph around a placed quote, split at it."""
    start, end = anchoring.paragraph_bounds(text, placement.start, placement.end)
    return (
        text[start : placement.start],
        text[placement.start : placement.end],
        text[placement.end : end],
    )
