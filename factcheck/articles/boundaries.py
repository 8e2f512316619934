"""Where the article is in a plain-text capture of a web page.

A capture copied from a browser runs the article together with the site's
chrome: navigation, share buttons, donation appeals, related links, footers,
often on one line with no space where one block ended and the next began
("…prosecutions.The 58-page report…"). ``propose(text)`` cuts the capture
into segments, marks the chrome it recognises, finds the body (the longest
run of prose paragraphs) and its headline (the page title, found again just
before the body), and returns a ``Proposal``: every segment with its character
offsets, whether it is kept and why. The article text is the kept segments
joined by blank lines.

Heuristics, not a model: a researcher sees the proposal with the chrome struck
out and moves the start or the end before anything is saved
(``propose(text, start=..., end=...)``).
"""

import itertools
import re
from dataclasses import dataclass, field

# Where one block of a page ends and the next begins with no space between:
# a sentence's end (lowercase letter or digit, then . ! ?, or a closing quote
# or bracket) glued to a capital, an opening quote or bracket, or ©; and a
# lowercase letter glued to an opening bracket ("Images(Berlin)").
GLUED = re.compile(
    r"(?<=[a-z0-9][.!?])(?=[A-Z“‘\"(©])"
    r"|(?<=[.!?][”’\")])(?=[A-Z“‘\"(©])"
    r"|(?<=[a-z])(?=\([A-Z])"
)
# Site chrome that is recognised wherever it stands, even glued to the article's
# words ("…Protesters, PoliticalShare this via Facebook…").
CHROME_PHRASES = re.compile(
    r"Share (?:this )?(?:via|on) (?:WhatsApp|LinkedIn|Facebook|Telegram|Messenger|Pinterest"
    r"|Twitter|Printer|Bluesky|Mastodon|Threads|Reddit|E-?mail|Print|SMS|X)"
    r"|Other ways to share|Click to expand Image"
    r"|Skip to (?:main )?content|Skip to cookie privacy notice|Print this page"
    r"|Donate Now|Give Now|Sign Up|Subscribe|Advertisement|Read more|Follow us"
)
# A prose sentence that is site chrome all the same: an appeal for money or
# sign-ups, in the words such appeals use ("donations" in a news paragraph is not one).
APPEALS = re.compile(
    r"\b(?:tax[- ]deductible|your gift|please give|give now|donate|support our work"
    r"|sign up|subscribe|newsletters?|cookies?)\b",
    re.IGNORECASE,
)
# An appeal is short; a long paragraph that uses one of those words is the article's.
APPEAL_MAX_WORDS = 40
# Whole segments that are site chrome: labels around advertising and related links.
CHROME_LINES = re.compile(
    r"(?:Related: .*|Advertis(?:ement|ing)|Sponsored(?: by)?.*|Powered by .*|Paid Partner"
    r"|Replay|Your video will play in .*)",
    re.IGNORECASE,
)
# A paragraph of prose has at least this many words, mostly lowercase, and ends a sentence.
PROSE_MIN_WORDS = 12
WORD = re.compile(r"[^\W\d_][\w’'-]*")
SENTENCE_END = re.compile(r"[.!?][”’\")]*$|[”\"]$")
# How many short non-prose segments (a photo caption's credit, a subheading, a
# table) may stand between two prose paragraphs of one article; recognised chrome
# (struck out) does not count.
MAX_GAP = 3
TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+")


@dataclass
class Segment:
    start: int
    end: int
    text: str
    kind: str  # "prose", "chrome", "appeal", "other"
    kept: bool = False
    reason: str = ""


@dataclass
class Proposal:
    segments: list[Segment]
    start: int  # character offsets into the capture: the article lies in [start, end)
    end: int
    reasons: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(s.text for s in self.segments if s.kept)

    @property
    def headline(self) -> str:
        kept = [s for s in self.segments if s.kept]
        return kept[0].text if kept and kept[0].reason == "headline" else ""


def _pieces(text: str):
    """(start, end, kind) of each non-blank piece: lines, cut at chrome phrases and
    at glued block boundaries."""
    position = 0
    for line in text.splitlines(keepends=True):
        line_start, position = position, position + len(line)
        cursor = line_start
        content = line.rstrip("\r\n")
        for match in CHROME_PHRASES.finditer(content):
            yield from _split_glued(text, cursor, line_start + match.start())
            yield (line_start + match.start(), line_start + match.end(), "chrome")
            cursor = line_start + match.end()
        yield from _split_glued(text, cursor, line_start + len(content))


def _split_glued(text: str, start: int, end: int):
    chunk = text[start:end]
    cuts = [0, *(m.start() for m in GLUED.finditer(chunk)), len(chunk)]
    for a, b in itertools.pairwise(cuts):
        piece = chunk[a:b]
        stripped = piece.strip()
        if not stripped:
            continue
        lead = len(piece) - len(piece.lstrip())
        yield (start + a + lead, start + a + lead + len(stripped), None)


def _classify(piece: str) -> str:
    words = WORD.findall(piece)
    if APPEALS.search(piece) and len(words) <= APPEAL_MAX_WORDS:
        return "appeal"
    if CHROME_LINES.fullmatch(piece):
        return "chrome"
    if len(words) < PROSE_MIN_WORDS:
        return "other"
    lowercase = sum(1 for w in words if w[0].islower()) / len(words)
    if SENTENCE_END.search(piece) and lowercase >= 0.5:
        return "prose"
    return "other"


def segments_of(text: str) -> list[Segment]:
    result = []
    for start, end, kind in _pieces(text):
        piece = text[start:end]
        result.append(Segment(start, end, piece, kind or _classify(piece)))
    return result


def _body_run(segments: list[Segment]) -> tuple[int, int] | None:
    """Indexes (first, last) of the longest run of prose, by characters, allowing
    up to MAX_GAP short segments between two prose ones, never an appeal."""
    best, best_size = None, 0
    i = 0
    while i < len(segments):
        if segments[i].kind != "prose":
            i += 1
            continue
        first = last = i
        j = i + 1
        while j < len(segments):
            if segments[j].kind == "prose":
                last = j
                j += 1
                continue
            gap, others = j, 0
            while gap < len(segments) and segments[gap].kind in ("other", "chrome"):
                others += segments[gap].kind == "other"
                if others > MAX_GAP:
                    break
                gap += 1
            if gap < len(segments) and segments[gap].kind == "prose" and others <= MAX_GAP:
                j = gap
                continue
            break
        size = sum(len(s.text) for s in segments[first : last + 1] if s.kind == "prose")
        if size > best_size:
            best, best_size = (first, last), size
        i = last + 1
    return best


def _page_title(text: str) -> str:
    """The page's title as its first line states it, less the site's name."""
    first = text.lstrip().split("\n", 1)[0]
    parts = TITLE_SEPARATORS.split(first, maxsplit=1)
    title = parts[0].strip() if len(parts) > 1 else ""
    return title if len(WORD.findall(title)) >= 3 else ""


def propose(text: str, *, start: int | None = None, end: int | None = None) -> Proposal:
    """Where the article starts and ends in ``text``, with the reasons.

    ``start`` and ``end`` (character offsets) override the proposal's bounds;
    recognised chrome inside them stays left out.
    """
    segments = segments_of(text)
    reasons = []
    run = _body_run(segments)
    if run is None:
        return Proposal(segments, 0, 0, ["No run of prose paragraphs was found."])
    first, last = run
    body_start, body_end = segments[first].start, segments[last].end
    reasons.append(
        f"Body: {sum(1 for s in segments[first : last + 1] if s.kind == 'prose')} prose "
        f"paragraphs from character {body_start} to {body_end}."
    )
    proposed_start = body_start
    title = _page_title(text)
    headline_at = text.rfind(title, 0, body_start) if title else -1
    if headline_at > 0 or (headline_at == 0 and title):
        proposed_start = headline_at
        reasons.append(
            f"Headline: the page title “{title}” found again at character {headline_at}."
        )
    elif (lead := _leading_headline(segments, first)) is not None:
        proposed_start = lead.start
        lead.reason = "headline"
        reasons.append(f"Headline: the capture's first line, “{lead.text[:80]}”.")
    else:
        reasons.append("No headline found: the article starts with its first prose paragraph.")
    if last + 1 < len(segments):
        following = segments[last + 1]
        reasons.append(
            f"The site's chrome begins at character {following.start}: "
            f"“{following.text[:60]}” ({following.kind})."
        )
    bounded = start is not None or end is not None
    lo = proposed_start if start is None else max(0, min(start, len(text)))
    hi = body_end if end is None else max(lo, min(end, len(text)))
    if bounded:
        reasons.append(f"Bounds set by hand: characters {lo} to {hi}.")
    if title and headline_at >= 0:
        segments = _with_headline(segments, headline_at, title)
    for segment in segments:
        inside = segment.start >= lo and segment.end <= hi
        if not inside:
            segment.reason = "outside the article"
        elif segment.kind in ("chrome", "appeal"):
            segment.reason = "site chrome" if segment.kind == "chrome" else "appeal"
        else:
            segment.kept = True
            segment.reason = segment.reason or "article"
    return Proposal(segments, lo, hi, reasons)


def _leading_headline(segments: list[Segment], first: int) -> Segment | None:
    """A capture that is the article alone starts with its headline: a short first
    line, then at most a few short lines (standfirst, caption) before the body."""
    before = segments[:first]
    if not before or len(before) > MAX_GAP + 2 or any(s.kind != "other" for s in before):
        return None
    head = before[0]
    return head if len(WORD.findall(head.text)) <= 25 and "\n" not in head.text else None


def _with_headline(segments: list[Segment], at: int, title: str) -> list[Segment]:
    """Cut the segment holding the headline so that the headline is a segment of its own."""
    if not title:
        return segments
    result = []
    for segment in segments:
        if segment.start <= at < segment.end and segment.kind not in ("chrome", "appeal"):
            head_end = at + len(title)
            parts = [
                (segment.start, at, "other"),
                (at, min(head_end, segment.end), "headline"),
                (min(head_end, segment.end), segment.end, "other"),
            ]
            for a, b, kind in parts:
                piece = segment.text[a - segment.start : b - segment.start]
                stripped = piece.strip()
                if not stripped:
                    continue
                lead = len(piece) - len(piece.lstrip())
                new = Segment(a + lead, a + lead + len(stripped), stripped, segment.kind)
                if kind == "headline":
                    new.kind, new.reason = "other", "headline"
                elif b <= at:
                    new.kind = "other"
                else:
                    new.kind = _classify(stripped) if segment.kind != "chrome" else "chrome"
                result.append(new)
        else:
            result.append(segment)
    return result
