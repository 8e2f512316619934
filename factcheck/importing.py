"""Importing an article's claims in bulk: every row checked first, then one transaction.

``import_rows(source, rows, user=..., reason=...)`` takes the claims of one
source (each row: slug, statement, quote, kind, attributed_to, optionally
quote_start, notes and citations). Every row is validated before anything is
written, set-wise (one query for all slugs, one for all cited sources), with
a message naming the row and the field for each problem. Then the claims,
their citations and one history row per object (who and why) are written in
one transaction, through ``factcheck.history``'s bulk helpers: all or nothing.

New claims are drafts, like a claim added in the admin; the importing user
counts as an author of each (the four-eyes rule: they may not approve or
publish what they imported).
"""

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import normalize_newlines

from factcheck import anchoring, bulk_rows
from factcheck.history import bulk_create_with_history
from factcheck.models import Citation, Claim, ClaimKind, PublishedRevision, Source, Stance

BATCH = 2000
# Slugs and cited sources are looked up this many at a time (SQLite's parameter limit).
LOOKUP_CHUNK = 5000
SHOWN_PROBLEMS = 20
KINDS, STANCES = frozenset(ClaimKind.values), frozenset(Stance.values)

CLAIM_FIELDS = ("slug", "statement", "quote", "kind", "attributed_to")
OPTIONAL_CLAIM_FIELDS = ("quote_start", "notes", "citations")
CITATION_FIELDS = ("source", "passage", "stance", "locator")


class ImportRefused(ValueError):
    """At least one row is invalid; nothing was written. ``problems`` lists each one."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:SHOWN_PROBLEMS]
        more = len(problems) - len(shown)
        tail = f" …and {more} more." if more else ""
        super().__init__(
            f"{len(problems)} problem(s), nothing was imported: " + " ".join(shown) + tail
        )


@dataclass
class _Checked:
    claims: list = field(default_factory=list)
    citations: list = field(default_factory=list)  # (claim index, Citation)
    problems: list = field(default_factory=list)


def _text(row: dict, name: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value).strip()


def _field_problem(model, name: str, value) -> str | None:
    """Django's own checks for one field (length, slug characters, choices)."""
    model_field = model._meta.get_field(name)
    try:
        model_field.clean(value, None)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def _quote_start(row: dict, problems: list, where: str):
    value = row.get("quote_start")
    if value in (None, ""):
        return None
    try:
        start = int(value)
    except (TypeError, ValueError):
        problems.append(f"{where}, quote_start: {value!r} is not a whole number.")
        return None
    if start < 0:
        problems.append(f"{where}, quote_start: must not be negative.")
        return None
    return start


def _check_claim(source: Source, number: int, row, checked: _Checked) -> Claim | None:
    where = f"Row {number}"
    if not isinstance(row, dict):
        checked.problems.append(f"{where}: expected an object with the claim's fields.")
        return None
    problems = []
    values = {name: _text(row, name) for name in ("slug", "statement", "kind", "attributed_to")}
    values["notes"] = _text(row, "notes")
    quote = normalize_newlines(row.get("quote") or "") if isinstance(row.get("quote"), str) else ""
    for name in CLAIM_FIELDS:
        if name != "quote" and not values[name]:
            problems.append(f"{where}, {name}: required.")
        elif name == "quote" and not quote.strip():
            problems.append(f"{where}, quote: required.")
    if values["kind"] and values["kind"] not in KINDS:
        problems.append(
            f"{where}, kind: {values['kind']!r} is not one of {', '.join(ClaimKind.values)}."
        )
    for name in ("slug", "statement", "attributed_to"):
        if values[name]:
            problem = _field_problem(Claim, name, values[name])
            if problem:
                problems.append(f"{where}, {name}: {problem}")
    unknown = sorted(set(row) - {*CLAIM_FIELDS, *OPTIONAL_CLAIM_FIELDS})
    if unknown:
        problems.append(f"{where}: unknown field(s) {', '.join(unknown)}.")
    start = _quote_start(row, problems, where)
    anchor = None
    if quote.strip():
        try:
            anchor = anchoring.anchor_quote(source.text, quote, start)
        except anchoring.AnchorError as error:
            problems.append(f"{where}, quote: {' '.join(error.messages)}")
    if problems:
        checked.problems.extend(problems)
        return None
    claim = Claim(source=source, quote=quote, **values)
    claim.key = claim.slug
    claim.apply_anchor(anchor)
    claim.quote = anchor.quote
    return claim


def _check_citations(number: int, row, claim, source: Source, sources: dict, checked: _Checked):
    """Check a row's citations (even when its claim is invalid: every problem at once)."""
    if not isinstance(row, dict):
        return
    citations = row.get("citations") or []
    if not isinstance(citations, list):
        checked.problems.append(f"Row {number}, citations: expected a list.")
        return
    locators = set()
    for position, data in enumerate(citations, start=1):
        where = f"Row {number}, citation {position}"
        if not isinstance(data, dict):
            checked.problems.append(f"{where}: expected an object.")
            continue
        unknown = sorted(set(data) - set(CITATION_FIELDS))
        if unknown:
            checked.problems.append(f"{where}: unknown field(s) {', '.join(unknown)}.")
        cited = sources.get(_text(data, "source"))
        stance, locator = _text(data, "stance"), _text(data, "locator")
        passage = normalize_newlines(data.get("passage") or "")
        if cited is None:
            checked.problems.append(f"{where}, source: no source with slug {data.get('source')!r}.")
        elif cited.pk == source.pk:
            checked.problems.append(f"{where}, source: a claim cannot be evidence for itself.")
        if stance not in STANCES:
            checked.problems.append(
                f"{where}, stance: {stance!r} is not one of {', '.join(Stance.values)}."
            )
        if (cited and cited.pk, locator) in locators:
            checked.problems.append(f"{where}, locator: the claim already cites this place.")
        locators.add((cited and cited.pk, locator))
        if len(locator) > 200:
            checked.problems.append(f"{where}, locator: at most 200 characters.")
        if cited is not None and stance in STANCES and claim is not None:
            citation = Citation(
                source=cited, passage=passage.strip(), stance=stance, locator=locator
            )
            checked.citations.append((claim, citation))


def _chunks(items, size=LOOKUP_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _cited_sources(rows) -> dict:
    slugs = sorted(
        {
            _text(data, "source")
            for row in rows
            if isinstance(row, dict) and isinstance(row.get("citations"), list)
            for data in row["citations"]
            if isinstance(data, dict)
        }
        - {""}
    )
    found = {}
    for chunk in _chunks(slugs):
        found.update(
            (source.slug, source)
            for source in Source.objects.filter(slug__in=chunk).only(
                "pk", "slug", "key", "title", "url", "kind"
            )
        )
    return found


def _taken_slugs(slugs: list[str]) -> set[str]:
    """Slugs (or keys) an existing claim has, or that another claim was published under."""
    taken = set()
    for chunk in _chunks(slugs):
        for slug, key in Claim.objects.filter(Q(slug__in=chunk) | Q(key__in=chunk)).values_list(
            "slug", "key"
        ):
            taken.update({slug, key})
        taken.update(
            PublishedRevision.objects.filter(slug__in=chunk).values_list("slug", flat=True)
        )
    return taken


def check_rows(source: Source, rows) -> _Checked:
    """Validate every row; the result lists the problems, or the claims to write."""
    checked = _Checked()
    if not source.text:
        checked.problems.append(f"Source {source.slug!r} has no stored text to quote from.")
        return checked
    sources = _cited_sources(rows)
    first_row = {}
    for number, row in enumerate(rows, start=1):
        claim = _check_claim(source, number, row, checked)
        _check_citations(number, row, claim, source, sources, checked)
        if claim is None:
            continue
        if claim.slug in first_row:
            earlier = first_row[claim.slug]
            checked.problems.append(
                f"Row {number}, slug: {claim.slug!r} is also the slug of row {earlier}."
            )
            continue
        first_row[claim.slug] = number
        claim._import_row = number
        checked.claims.append(claim)
    for slug in sorted(_taken_slugs(list(first_row)) & set(first_row)):
        checked.problems.append(
            f"Row {first_row[slug]}, slug: {slug!r} is taken by an existing claim "
            "(or was published under it); choose another."
        )
    checked.problems.sort(key=_row_order)
    return checked


def _row_order(problem: str):
    head = problem.split(",")[0].split(":")[0]
    number = head.removeprefix("Row ").strip()
    return (int(number) if number.isdigit() else 0, problem)


def _citation_keys(pairs) -> None:
    """Give each citation the key ``Citation.default_key`` would, with one query for all."""
    for claim, citation in pairs:
        citation.key = "/".join(filter(None, [claim.key, citation.source.key, citation.locator]))[
            :150
        ]
    keys = [citation.key for _, citation in pairs]
    taken = set()
    for chunk in _chunks(keys):
        taken.update(Citation.objects.filter(key__in=chunk).values_list("key", flat=True))
    for _, citation in pairs:
        if len(citation.key) > 130 or citation.key in taken:
            citation.key = f"{citation.key[:117]}/{uuid.uuid4().hex[:12]}"


def import_rows(source: Source, rows, *, user, reason: str, batch_size: int = BATCH) -> list:
    """Create the claims of ``rows`` in ``source``, with their citations and history.

    Raises ``ImportRefused`` (nothing written) if any row is invalid, and
    ``PermissionError`` if ``user`` may not add claims (and citations).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ImportRefused(["A reason for the import is required (it goes into the history)."])
    rows = list(rows)
    checked = check_rows(source, rows)
    if checked.problems:
        raise ImportRefused(checked.problems)
    needed = ["factcheck.add_claim"] + (["factcheck.add_citation"] if checked.citations else [])
    if user is None or not user.is_active or not user.is_staff or not user.has_perms(needed):
        raise PermissionError(
            f"{user} may not import claims: it takes a staff account allowed to add claims"
            + (" and citations." if checked.citations else ".")
        )
    now = timezone.now()
    with transaction.atomic():
        claims = bulk_create_with_history(
            checked.claims, Claim, reason=reason, user=user, date=now, batch_size=batch_size
        )
        if checked.citations:
            _citation_keys(checked.citations)
            citations = []
            for claim, citation in checked.citations:
                citation.claim_id = claim.pk
                citations.append(citation)
            bulk_create_with_history(
                citations, Citation, reason=reason, user=user, date=now, batch_size=batch_size
            )
        bulk_rows.insert_values(
            Claim.revision_editors.through,
            ["claim_id", "user_id"],
            [(claim.pk, user.pk) for claim in claims],
        )
    return claims
