"""What changed between two versions of a text, word by word.

The history pages show a long field's change as the words deleted and the words
inserted, in a little unchanged context; the rest of the unchanged text is left
out and counted. Only unchanged text is shortened, and only between words, so
a changed word is never cut.

Words are compared as they are written (case and punctuation count); the
spacing between them does not, so a change of line breaks alone is reported
as such rather than as a change of every word around it.
"""

import difflib
import re
from dataclasses import dataclass

# Words of unchanged text kept on each side of a change.
CONTEXT_WORDS = 12
# Fewer unchanged words than this are shown rather than counted: the note
# "[… 3 words not shown …]" would be longer than the words.
MIN_SKIPPED = 6

_WORDS = re.compile(r"(\s*)(\S+)")


@dataclass(frozen=True)
class Segment:
    """A piece of the difference. ``kind`` is one of:

    - ``same``: unchanged text, shown as context;
    - ``deleted`` / ``inserted``: words only the older / newer version has;
    - ``gap``: ``skipped`` unchanged words left out;
    - ``spacing``: nothing but the spacing or line breaks changed.
    """

    kind: str
    text: str
    skipped: int = 0


def word_diff(old: str | None, new: str | None, *, context: int = CONTEXT_WORDS) -> list[Segment]:
    """The difference from ``old`` to ``new`` as segments, in reading order."""
    old, new = old or "", new or ""
    if old == new:
        return [Segment("same", new)] if new else []
    if old.split() == new.split():
        return [Segment("spacing", "")]
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(
        a=[word for _, word in before], b=[word for _, word in after], autojunk=False
    )
    opcodes = matcher.get_opcodes()
    segments: list[Segment] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            first, last = index == 0, index == len(opcodes) - 1
            segments += _context(after[j1:j2], context, keep_start=not first, keep_end=not last)
            continue
        removed, added = before[i1:i2], after[j1:j2]
        space = (added or removed)[0][0]  # the spacing before the change stays outside it
        if space:
            _append(segments, Segment("same", space))
        if removed:
            segments.append(Segment("deleted", _joined(removed)))
        if added:
            segments.append(Segment("inserted", _joined(added)))
    return segments


def _joined(words) -> str:
    """Words with the spacing between them, not the spacing before the first."""
    text = "".join(space + word for space, word in words)
    return text[len(words[0][0]) :]


def _context(words, context, *, keep_start: bool, keep_end: bool) -> list[Segment]:
    """Unchanged words, shortened to ``context`` words next to each change."""
    kept = (context if keep_start else 0) + (context if keep_end else 0)
    if len(words) < kept + MIN_SKIPPED:
        return [Segment("same", "".join(space + word for space, word in words))]
    head = words[:context] if keep_start else []
    tail = words[len(words) - context :] if keep_end else []
    segments = []
    if head:
        segments.append(Segment("same", "".join(space + word for space, word in head)))
    segments.append(Segment("gap", "", skipped=len(words) - len(head) - len(tail)))
    if tail:
        segments.append(Segment("same", _joined(tail)))
    return segments


def _append(segments: list[Segment], piece: Segment) -> None:
    """Add unchanged text, joined to the unchanged text before it."""
    if segments and segments[-1].kind == "same":
        segments[-1] = Segment("same", segments[-1].text + piece.text)
    else:
        segments.append(piece)
