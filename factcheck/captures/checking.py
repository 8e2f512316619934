"""Which capture a citation's passage is checked against, and whether it is found there.

A citation is checked against the latest capture of its source. The published
revision records that check as it stood at publish time (``snapshot``): the
capture's id, date and SHA-256, and whether the passage was found.
"""

from dataclasses import dataclass

from factcheck.captures.quotes import passage_found


@dataclass(frozen=True)
class CitationCheck:
    capture: object | None  # a Capture, or None: no capture of the cited source
    found: bool | None  # None when there is no capture

    @property
    def label(self) -> str:
        if self.capture is None:
            return "no capture"
        when = f"{self.capture.captured_at:%Y-%m-%d %H:%M} UTC"
        return f"{'found' if self.found else 'not found'} in the capture of {when}"

    def snapshot(self) -> dict | None:
        """What a published revision's citation records about this check."""
        if self.capture is None:
            return None
        return {
            "id": self.capture.pk,
            "captured_at": self.capture.captured_at.isoformat(),
            "sha256": self.capture.sha256,
            "found": self.found,
        }


def latest_captures(source_ids) -> dict:
    """The latest capture of each source, by source id, in one query."""
    from factcheck.models import Capture

    latest = {}
    rows = Capture.objects.filter(source_id__in=set(source_ids)).order_by(
        "source_id", "-captured_at", "-pk"
    )
    for capture in rows:
        latest.setdefault(capture.source_id, capture)
    return latest


def check(citation, capture) -> CitationCheck:
    if capture is None:
        return CitationCheck(None, None)
    return CitationCheck(capture, passage_found(citation.passage, capture.text))


def record_checks(entries: list[dict], citations, latest: dict) -> set:
    """Add to each published citation entry (``Citation.published_data()``) the check of its
    passage against the latest capture of its source (``latest``: by source id), when
    there is one; return the captures checked against."""
    used = set()
    for entry, citation in zip(entries, citations, strict=True):
        result = check(citation, latest.get(citation.source_id))
        if recorded := result.snapshot():
            entry["capture"] = recorded
            used.add(result.capture)
    return used
