"""Synthetic benchmark data, written through the app's own paths so history is real.

``build(total)`` fills the current (migrated, empty) database with ``total``
SYNTHETIC claims spread over ``total / per_article`` synthetic articles
("Synthetic article 17", example.org addresses, no real names). Each claim
quotes one sentence of its article, cites one or two synthetic evidence
sources, and is taken through the review workflow by synthetic role accounts:
imported (``factcheck.importing.import_rows``), submitted, approved and
published (``factcheck.workflow``'s ``*_many`` steps); every 25th claim is
then corrected and republished, every 100th withdrawn. About one claim in
eight mentions torture, detention or a protest, so searches find a realistic
share.

    python benchmarks/dataset.py 10000      # on a throwaway database, to time it
"""

import logging
import sys
import time
from contextlib import contextmanager

# Django is set up by the caller (benchmarks/harness.py): the app is imported lazily.

REASON = "Synthetic benchmark data (benchmarks/dataset.py)"
BATCH = 5000  # claims per workflow call
EVIDENCE_SOURCES = 40
# Most claims mention everyday topics; one in eight a term people search for.
TOPICS = [
    "road repairs",
    "school enrolment",
    "water outages",
    "detention of protesters",
    "bus timetables",
    "library opening hours",
    "park maintenance",
    "allegations of torture in custody",
    "waste collection",
    "clinic waiting times",
    "housing permits",
    "a protest outside the town hall",
    "street lighting",
    "market licences",
    "flood defences",
    "tax assessments",
    "recycling rates",
    "bridge inspections",
    "public transport fares",
    "cycle lanes",
    "youth sports clubs",
    "noise complaints",
    "pharmacy stock",
    "snow clearing",
]
VERDICTS = ["accurate", "mostly_accurate", "mixed", "misleading", "inaccurate", "unverifiable"]
ROLES = {  # username: group (factcheck.roles.Role)
    "synthetic-researcher": "Researcher",
    "synthetic-factchecker": "Fact-checker",
    "synthetic-editor": "Editor",
    "synthetic-editor-2": "Editor",
}
CORRECT_EVERY, WITHDRAW_EVERY = 25, 100


def sentence(article: int, number: int) -> str:
    topic = TOPICS[(article * 7 + number) % len(TOPICS)]
    count = (article * 31 + number * 17) % 900 + 12
    return (
        f"In synthetic district {number + 1} of article {article}, officials recorded "
        f"{count} reports about {topic} last year."
    )


def article_text(article: int, claims: int) -> str:
    paragraphs = []
    for start in range(0, claims, 5):
        paragraphs.append(
            " ".join(sentence(article, n) for n in range(start, min(start + 5, claims)))
        )
    intro = f"Synthetic article {article}. Generated for benchmarks; not a real report."
    return "\n\n".join([intro, *paragraphs])


def _accounts() -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    from factcheck.roles import sync_role_groups

    if Group.objects.filter(name__in=set(ROLES.values())).count() != len(set(ROLES.values())):
        sync_role_groups(Group, Permission)
    users = {}
    for username, role in ROLES.items():
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, "email": f"{username}@example.org"}
        )
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=role))
        users[username] = get_user_model().objects.get(pk=user.pk)  # fresh permission cache
    return users


def _sources(articles: int, per_article: int, author) -> tuple[list, list]:
    from factcheck.history import bulk_create_with_history
    from factcheck.models import PublicState, Source, SourceKind

    evidence = [
        Source(
            slug=f"synthetic-evidence-{i}",
            title=f"Synthetic evidence document {i}",
            url=f"https://example.org/synthetic/evidence/{i}",
            publisher="Synthetic Publisher",
            kind=SourceKind.REPORT,
            language="en",
            text=f"Synthetic evidence document {i}. Page {i} confirms the recorded figures.",
        )
        for i in range(EVIDENCE_SOURCES)
    ]
    texts = [article_text(a, per_article) for a in range(articles)]
    sources = [
        Source(
            slug=f"synthetic-article-{a}",
            title=f"Synthetic article {a}",
            url=f"https://example.org/synthetic/articles/{a}",
            publisher="Synthetic Newsroom",
            kind=SourceKind.NEWS_ARTICLE,
            language="en",
            text=texts[a],
        )
        for a in range(articles)
    ]
    for source in [*evidence, *sources]:
        source.text_sha256 = Source.digest(source.text)
    everything = bulk_create_with_history([*evidence, *sources], Source, reason=REASON, user=author)
    PublicState.changed()  # as a source save does
    return everything[:EVIDENCE_SOURCES], everything[EVIDENCE_SOURCES:]


def _rows(article: int, count: int, evidence: list) -> list[dict]:
    rows = []
    for n in range(count):
        cited = [evidence[(article + n) % len(evidence)]]
        if n % 3 == 0:
            cited.append(evidence[(article + n + 1) % len(evidence)])
        rows.append(
            {
                "slug": f"synthetic-{article}-{n}",
                "statement": f"Synthetic claim {n} of article {article}: "
                + sentence(article, n).split(", ", 1)[1][:120],
                "quote": sentence(article, n),
                "kind": "statistic",
                "attributed_to": f"Synthetic official {n % 12}",
                "citations": [
                    {
                        "source": source.slug,
                        "passage": source.text.split(". ", 1)[1],
                        "stance": "contradicts" if n % 5 == 4 else "supports",
                        "locator": f"p. {k + 1}",
                    }
                    for k, source in enumerate(cited)
                ],
            }
        )
    return rows


@contextmanager
def _quiet_workflow_log():
    # One log line per claim and step is right for a desk, noise for 400,000 steps.
    logger = logging.getLogger("factcheck.workflow")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _batches(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _review_and_publish(pks, users, *, note=""):
    from factcheck import workflow
    from factcheck.models import Claim
    from factcheck.ratings import Fidelity, Verdict

    researcher, factchecker = users["synthetic-researcher"], users["synthetic-factchecker"]
    editor = users["synthetic-editor"]
    for batch in _batches(pks):
        workflow.submit_many(Claim.objects.filter(pk__in=batch), user=researcher)
        for i, verdict in enumerate(VERDICTS):
            group = [pk for pk in batch if pk % len(VERDICTS) == i]
            if group:
                workflow.approve_many(
                    Claim.objects.filter(pk__in=group),
                    user=factchecker,
                    verdict=verdict,
                    rationale="Synthetic rationale: the synthetic evidence documents rate it "
                    f"“{Verdict(verdict).label}”.",
                    fidelity=Fidelity.VERBATIM,
                )
        workflow.publish_many(Claim.objects.filter(pk__in=batch), user=editor, note=note)


def build(total: int, *, per_article: int = 50, out=sys.stderr) -> None:
    """Fill the current, empty database with ``total`` synthetic claims (see the module)."""
    from factcheck import workflow
    from factcheck.importing import import_rows
    from factcheck.models import Claim

    began = time.perf_counter()

    def progress(message):
        out.write(f"[dataset {time.perf_counter() - began:7.1f} s] {message}\n")
        out.flush()

    if Claim.objects.exists():
        raise RuntimeError("benchmarks.dataset.build() fills an empty database only.")
    articles = max(1, -(-total // per_article))
    users = _accounts()
    with _quiet_workflow_log():
        evidence, sources = _sources(articles, per_article, users["synthetic-researcher"])
        progress(f"{articles} synthetic articles and {len(evidence)} evidence sources")
        made = 0
        for article, source in enumerate(sources):
            count = min(per_article, total - made)
            if count <= 0:
                break
            rows = _rows(article, count, evidence)
            import_rows(source, rows, user=users["synthetic-researcher"], reason=REASON)
            made += count
            if made % 10_000 < count or made == total:
                progress(f"imported {made} claims")
        pks = list(Claim.objects.order_by("pk").values_list("pk", flat=True))
        _review_and_publish(pks, users)
        progress(f"published {len(pks)} claims (submitted, approved, published)")
        _correct(pks[::CORRECT_EVERY], users)
        progress(f"corrected and republished {len(pks[::CORRECT_EVERY])} claims")
        withdrawn = pks[1::WITHDRAW_EVERY]
        for batch in _batches(withdrawn):
            workflow.unpublish_many(
                Claim.objects.filter(pk__in=batch),
                user=users["synthetic-editor"],
                reason="Synthetic withdrawal: the synthetic article was retracted.",
            )
        progress(f"withdrew {len(withdrawn)} claims; done")


def _correct(pks, users):
    """Edit some published claims (a new draft revision each), then review and republish."""
    from factcheck import workflow
    from factcheck.models import Claim

    researcher = users["synthetic-researcher"]
    for claim in Claim.objects.filter(pk__in=pks).select_related("source"):
        claim.notes = "Synthetic correction: the district number was clarified."
        workflow.save_edit(claim, user=researcher, reason="Synthetic correction")
    _review_and_publish(pks, users, note="Synthetic correction: the district was clarified.")


if __name__ == "__main__":
    from harness import run_on_throwaway_database

    def _run(args):
        from factcheck.models import Claim

        build(int(args[0]) if args else 1000)
        print(f"{Claim.objects.count()} claims, {Claim.history.count()} claim history rows")

    run_on_throwaway_database(_run, sys.argv[1:])
