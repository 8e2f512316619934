"""Published claims from other articles that say nearly the same thing.

When the desk saves a claim (or accepts a candidate), an earlier fact-check of
the same statement may already be public: show it, so it can be reused or
linked. Only what the public sees is searched: claims with a live published
revision, read through ``factcheck.public.published`` and compared on that
revision's words (its statement and its quote), never on a working copy.

The measure is trigram similarity as PostgreSQL's ``pg_trgm`` defines it: the
lower-cased words, each padded with two spaces before and one after, cut into
three-character pieces; the score is the number of pieces two texts share
divided by the number of distinct pieces in either (0 to 1). A published claim
scores the better of its statement's and its quote's similarity to the text.

- PostgreSQL: ``pg_trgm`` computes it, and its ``%`` operator (similarity at
  least ``pg_trgm.similarity_threshold``, 0.3 by default, the same as
  ``THRESHOLD``) finds the candidates on the revisions' GIN trigram indexes
  (migration ``0018_similar_claims``; the planner uses them once the archive is
  large enough to need them): one query.
- SQLite (development, small desks): the same measure in Python, on at most
  ``CANDIDATES`` revisions that share the most of the text's longest words
  (one query, which ranks them by how many they share).
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Greatest
from django.urls import reverse

from factcheck.public.published import live_claims

THRESHOLD = 0.3  # pg_trgm's default similarity_threshold, which its % operator uses
CANDIDATES = 200  # SQLite: how many pre-filtered revisions are scored in Python
KEY_WORDS = 8  # SQLite: how many of the text's longest words pre-filter them
_WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SimilarClaim:
    """A published claim (as published: its live revision's words) and its score."""

    claim: object  # a Claim from Claim.objects.published(): slug and source as published
    score: float

    @property
    def revision(self):
        return self.claim.live_revision

    @property
    def statement(self) -> str:
        return self.revision.statement

    @property
    def quote(self) -> str:
        return self.revision.quote

    @property
    def source(self):
        return self.revision.source

    @property
    def verdict(self) -> str:
        return self.revision.get_verdict_display()

    @property
    def verdict_value(self) -> str:
        return self.revision.verdict

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def admin_url(self) -> str:
        return reverse("admin:factcheck_claim_change", args=[self.claim.pk])

    @property
    def public_url(self) -> str:
        return reverse("public:claim", args=[self.revision.slug])

    @property
    def source_public_url(self) -> str:
        return reverse("public:source", args=[self.source.slug])


def trigrams(text: str) -> set[str]:
    """The trigrams pg_trgm takes from ``text`` (lower-cased words, padded "  word ")."""
    found = set()
    for word in _WORDS.findall(text.lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity(a, b)``: shared trigrams over distinct trigrams of either."""
    first, second = trigrams(a), trigrams(b)
    union = len(first | second)
    return len(first & second) / union if union else 0.0


def similar_published_claims(
    text: str, *, exclude_source=None, exclude_claim=None, limit: int = 5
) -> list[SimilarClaim]:
    """Up to ``limit`` published claims whose statement or quote is at least
    ``THRESHOLD`` similar to ``text``, most similar first (one query).

    ``exclude_source`` (a Source or its pk) leaves out claims published from that
    source (the article being checked); ``exclude_claim`` leaves out that claim itself.
    """
    text = (text or "").strip()
    if not _WORDS.search(text) or limit < 1:
        return []
    claims = live_claims().defer("live_revision__source__text", "live_revision__source__notes")
    if exclude_source is not None:
        claims = claims.exclude(live_revision__source=exclude_source)
    if exclude_claim is not None and exclude_claim.pk is not None:
        claims = claims.exclude(pk=exclude_claim.pk)
    if connection.vendor == "postgresql":
        return _on_postgresql(claims, text, limit)
    return _in_python(claims, text, limit)


def _on_postgresql(claims, text, limit):
    found = (
        # ``statement % text OR quote % text``: answered on the GIN trigram indexes.
        claims.filter(
            Q(TrigramSimilar(F("live_revision__statement"), Value(text)))
            | Q(TrigramSimilar(F("live_revision__quote"), Value(text)))
        )
        .annotate(
            similarity=Greatest(
                TrigramSimilarity("live_revision__statement", text),
                TrigramSimilarity("live_revision__quote", text),
            )
        )
        .filter(similarity__gte=THRESHOLD)
        .order_by("-similarity", "pk")[:limit]
    )
    return [SimilarClaim(claim, round(claim.similarity, 3)) for claim in found]


def _in_python(claims, text, limit):
    words = sorted(set(_WORDS.findall(text.lower())), key=lambda w: (-len(w), w))[:KEY_WORDS]
    hits = sum(
        (
            Case(
                When(
                    Q(live_revision__statement__icontains=word)
                    | Q(live_revision__quote__icontains=word),
                    then=Value(1),
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
            for word in words
        ),
        Value(0),
    )
    candidates = (
        claims.annotate(shared_words=hits)
        .filter(shared_words__gt=0)
        .order_by("-shared_words", "pk")[:CANDIDATES]
    )
    wanted = trigrams(text)
    scored = []
    for claim in candidates:
        revision = claim.live_revision
        score = max(_score(wanted, revision.statement), _score(wanted, revision.quote))
        if score >= THRESHOLD:
            scored.append(SimilarClaim(claim, round(score, 3)))
    scored.sort(key=lambda found: (-found.score, found.claim.pk))
    return scored[:limit]


def _score(wanted: set[str], other: str) -> float:
    theirs = trigrams(other)
    union = len(wanted | theirs)
    return len(wanted & theirs) / union if union else 0.0
