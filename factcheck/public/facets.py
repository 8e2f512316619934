"""What the claim filters offer: the public articles and who makes the claims.

Both lists grow with the archive (an article's title each, a name each) but
change only when what the public sees changes, so each app process computes
them once per public state (``PublicState``: its version and the moment it
changed) and reuses them until the state moves on. A publication or withdrawal
moves it in the same transaction, so no list outlives the state it was read in.
"""

from dataclasses import dataclass

from factcheck.models import Claim
from factcheck.public.published import public_sources


@dataclass(frozen=True)
class Facets:
    sources: tuple  # (slug, title) of each public article, newest first
    attributions: tuple  # who makes the public claims, A to Z


_current: dict = {}


def facets(state) -> Facets:
    """The filters' choices in public state ``state`` (``PublicState.read()``)."""
    key = (state.version, state.changed_at)
    found = _current.get("facets")
    if found is not None and found[0] == key:
        return found[1]
    computed = Facets(
        sources=tuple(public_sources().values_list("slug", "title")),
        attributions=tuple(
            Claim.objects.published()
            .order_by("live_revision__attributed_to")
            .values_list("live_revision__attributed_to", flat=True)
            .distinct()
        ),
    )
    _current["facets"] = (key, computed)
    return computed
