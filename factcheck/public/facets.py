"""What the claim filters offer: the public articles and who makes the claims.

Both lists grow with the archive (an article's title each, a name each) but
change only when what the public sees changes, so each app process computes
them once per public state (``PublicState``: its version and the moment it
changed) and reuses them until the state moves on. A publication or withdrawal
moves it in the same transaction, so no list outlives the state it was read in.
"""

from functools import cached_property

from django.utils.choices import BaseChoiceIterator

from factcheck.models import Claim
from factcheck.public.published import public_sources


class SharedChoices(tuple, BaseChoiceIterator):
    """(value, label) pairs shared by every form of one public state. A form
    deep-copies its fields' choices each time it is made, and normalizes them
    each time they are read; these are never changed and already normal, so
    both are free, however many articles there are."""

    def __deepcopy__(self, memo):
        return self


class Facets:
    """The choices of one public state, each read when first asked for."""

    @cached_property
    def sources(self) -> SharedChoices:
        """(slug, title) of each public article, newest first."""
        return SharedChoices(public_sources().values_list("slug", "title"))

    @cached_property
    def attributions(self) -> SharedChoices:
        """(name, name) of who makes the public claims, A to Z."""
        names = (
            Claim.objects.published()
            .order_by("live_revision__attributed_to")
            .values_list("live_revision__attributed_to", flat=True)
            .distinct()
        )
        return SharedChoices((name, name) for name in names)


_current: dict = {}


def facets(state) -> Facets:
    """The filters' choices in public state ``state`` (``PublicState.read()``)."""
    key = (state.version, state.changed_at)
    found = _current.get("facets")
    if found is None or found[0] != key:
        found = _current["facets"] = (key, Facets())
    return found[1]
