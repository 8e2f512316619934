"""Queries and time per admin page, as the desk grows.

    .venv/bin/python benchmarks/admin_pages.py                 # 100 vs 10,000 claims, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck \\
        .venv/bin/python benchmarks/admin_pages.py --sizes 1000,10000,100000 --write

It builds a throwaway test database (in memory for SQLite, ``test_<name>``
for PostgreSQL), loads the article, then measures each page at every size in
``--sizes`` (or at ``--baseline`` and ``--claims``), growing the desk in
between. The added claims are synthetic: articles titled "Synthetic benchmark
article N" of ``--per-article`` claims each, one claim per sentence, in mixed
workflow states (drafts, in review, approved, published, withdrawn), assigned
to synthetic fact-checkers, written with history. After each growth the
database's statistics are refreshed (VACUUM ANALYZE on PostgreSQL), as
autovacuum would. Times are medians of ``--repeat`` requests, logged in as an
editor (the assignee filter as a fact-checker). With ``--explain`` it prints
PostgreSQL's plan of each page's slowest query at the largest size. It exits 1
if any page's query count grows with the desk. ``--write`` also writes the
table to ``benchmarks/results/admin_pages.md``.
"""

import argparse
import statistics
import sys
import time

from harness import ROOT, run_on_throwaway_database

RESULTS = ROOT / "benchmarks" / "results" / "admin_pages.md"
FACT_CHECKERS = 20  # synthetic ones, besides the desk's own
SEARCH = "torture"  # in the real article's claims and nowhere in the synthetic ones


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="claims at each measurement, e.g. 1000,10000,100000")
    parser.add_argument("--claims", type=int, default=10_000, help="size of the large desk")
    parser.add_argument("--baseline", type=int, default=100, help="size of the small desk")
    parser.add_argument("--per-article", type=int, default=100, help="claims per synthetic article")
    parser.add_argument("--repeat", type=int, default=5, help="requests per page and size")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE (PostgreSQL)")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.relative_to(ROOT)}")
    args = parser.parse_args()
    if args.sizes:
        args.sizes = sorted(int(size) for size in args.sizes.split(","))
    else:
        args.sizes = [args.baseline, args.claims]
    run_on_throwaway_database(run, args)


def sentence(article, number):
    return f"Synthetic sentence {number} of benchmark article {article} states a figure."


def run(args):
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from factcheck.models import Claim, Source
    from factcheck.roles import Role

    call_command("loaddata", "belarus_hrw_2020", verbosity=0)
    User = Group.objects.model._meta.get_field("user").related_model
    people = {}
    for name, role in [("editor", Role.EDITOR), ("factchecker", Role.FACT_CHECKER)]:
        user = User.objects.create_user(name, f"{name}@localhost", "x", is_staff=True)
        user.groups.add(Group.objects.get(name=str(role)))
        people[name] = user
    checkers = [people["factchecker"]]
    for number in range(FACT_CHECKERS):
        user = User.objects.create_user(f"bench-checker-{number}", "", "x", is_staff=True)
        user.groups.add(Group.objects.get(name=str(Role.FACT_CHECKER)))
        checkers.append(user)

    sample = Claim.objects.get(slug="hundreds-subjected-to-torture")
    article = Source.objects.get(slug="hrw-2020-11-06-belarus-expert-report-torture-inquiry")
    changelist = reverse("admin:factcheck_claim_changelist")
    pages = [
        ("dashboard", "editor", reverse("admin:index")),
        ("claim list", "editor", changelist),
        ("claim list, in review", "editor", changelist + "?status__exact=in_review"),
        ("claim list, one source", "editor", changelist + f"?source__id__exact={article.pk}"),
        ("claim list, assigned to me", "factchecker", changelist + "?assignee=me"),
        ("claim list, search", "editor", changelist + f"?q={SEARCH}"),
        ("claim list, search by slug", "editor", changelist + f"?q={sample.slug}"),
        ("claim page", "editor", reverse("admin:factcheck_claim_change", args=[sample.pk])),
        ("claim history", "editor", reverse("admin:factcheck_claim_history", args=[sample.pk])),
        (
            "submit step page",
            "editor",
            reverse("admin:factcheck_claim_step", args=[sample.pk, "submit"]),
        ),
        ("source list", "editor", reverse("admin:factcheck_source_changelist")),
    ]
    clients = {}
    for name, user in people.items():
        clients[name] = Client()
        clients[name].force_login(user)

    results = {}
    for size in args.sizes:
        grow_to(size, args.per_article, people, checkers)
        refresh_statistics(connection)
        results[Claim.objects.count()] = measure(pages, clients, args.repeat, connection)
    if args.explain and connection.vendor == "postgresql":
        explain(pages, clients, connection)

    table = format_table(connection.vendor, pages, results, args)
    print(table)
    if args.write:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(table)
        print(f"Wrote {RESULTS.relative_to(ROOT)}")
    counts = list(results.values())
    grew = [label for label, _, _ in pages if len({r[label][0] for r in counts}) > 1]
    if grew:
        print(f"Query counts grew with the desk on: {', '.join(grew)}")
        sys.exit(1)


def grow_to(total, per_article, people, checkers):
    """Add synthetic articles and their claims until the desk holds ``total`` claims."""
    from django.utils import timezone

    from factcheck.history import bulk_create_with_history, bulk_update_with_history
    from factcheck.models import Claim, ClaimKind, ClaimStatus, PublishedRevision, Source
    from factcheck.models.claims import workflow_writes
    from factcheck.models.sources import SourceKind
    from factcheck.public.published import PUBLIC_VERDICTS
    from factcheck.ratings import Verdict

    missing = total - Claim.objects.count()
    if missing <= 0:
        return
    first = Source.objects.filter(slug__startswith="synthetic-benchmark-article-").count()
    n_articles = -(-missing // per_article)
    sources = []
    for number in range(first, first + n_articles):
        text = " ".join(sentence(number, k) for k in range(per_article))
        sources.append(
            Source(
                slug=f"synthetic-benchmark-article-{number}",
                title=f"Synthetic benchmark article {number}",
                publisher=f"Synthetic publisher {number % 50}",
                kind=list(SourceKind)[number % len(SourceKind)],
                text=text,
                text_sha256=Source.digest(text),
            )
        )
    now = timezone.now()
    with workflow_writes():
        bulk_create_with_history(sources, Source, reason="Benchmark data", batch_size=500)
        sources = Source.objects.filter(slug__in=[s.slug for s in sources]).order_by("pk")
        claims = []
        for source in sources:
            number = int(source.slug.rsplit("-", 1)[1])
            text = source.text
            for k in range(min(per_article, missing - len(claims))):
                quote = sentence(number, k)
                start = text.index(quote)
                end = start + len(quote)
                i = len(claims)
                state = i % 20  # 8 drafts, 4 in review, 2 approved, 5 published, 1 withdrawn
                status = (
                    ClaimStatus.DRAFT
                    if state < 8 or state == 19
                    else ClaimStatus.IN_REVIEW
                    if state < 12
                    else ClaimStatus.APPROVED
                    if state < 14
                    else ClaimStatus.PUBLISHED
                )
                reviewed = status in (ClaimStatus.APPROVED, ClaimStatus.PUBLISHED)
                claims.append(
                    Claim(
                        source=source,
                        slug=f"synthetic-{number}-{k}",
                        statement=f"Synthetic claim {k} of benchmark article {number}",
                        quote=quote,
                        quote_start=start,
                        quote_end=end,
                        quote_prefix=text[max(0, start - 32) : start],
                        quote_suffix=text[end : end + 32],
                        attributed_to=f"Synthetic speaker {i % 40}",
                        kind=list(ClaimKind)[i % len(ClaimKind)],
                        status=status,
                        verdict=PUBLIC_VERDICTS[i % len(PUBLIC_VERDICTS)]
                        if reviewed
                        else Verdict.NOT_YET_RATED,
                        rationale="Synthetic rationale." if reviewed else "",
                        assignee=checkers[i % len(checkers)]
                        if status == ClaimStatus.IN_REVIEW or state % 3 == 0
                        else None,
                        approved_by=people["factchecker"] if reviewed else None,
                        approved_at=now if reviewed else None,
                        withdrawn_at=now if state == 19 else None,
                        withdrawal_reason="Synthetic withdrawal." if state == 19 else "",
                    )
                )
        bulk_create_with_history(claims, Claim, reason="Benchmark data", batch_size=1000)
        published = list(
            Claim.objects.filter(
                slug__in=[c.slug for c in claims if c.status == ClaimStatus.PUBLISHED]
            )
        )
        PublishedRevision.objects.bulk_create(
            [
                PublishedRevision(
                    claim=claim,
                    number=1,
                    slug=claim.slug,
                    source_id=claim.source_id,
                    statement=claim.statement,
                    quote=claim.quote,
                    quote_start=claim.quote_start,
                    quote_end=claim.quote_end,
                    quote_prefix=claim.quote_prefix,
                    quote_suffix=claim.quote_suffix,
                    attributed_to=claim.attributed_to,
                    kind=claim.kind,
                    verdict=claim.verdict,
                    rationale=claim.rationale,
                    citations=[],
                    note="First published.",
                    approved_by=people["factchecker"],
                    approved_at=now,
                    published_by=people["editor"],
                    published_at=now,
                )
                for claim in published
            ],
            batch_size=1000,
        )
        live = dict(
            PublishedRevision.objects.filter(claim__in=published).values_list("claim_id", "pk")
        )
        for claim in published:
            claim.live_revision_id = live[claim.pk]
        bulk_update_with_history(
            published, Claim, ["live_revision"], reason="Benchmark data: published", batch_size=1000
        )


def refresh_statistics(connection):
    """What autovacuum does on a live database: fresh planner statistics."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure(pages, clients, repeat, connection):
    from django.test.utils import CaptureQueriesContext

    results = {}
    for label, who, url in pages:
        client = clients[who]
        client.get(url)  # warm up
        times, sql = [], []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - began)
            assert response.status_code == 200, (label, response.status_code)
            sql.append(sum(float(query["time"]) for query in queries.captured_queries))
        results[label] = (len(queries), statistics.median(times), min(times), min(sql))
    return results


def explain(pages, clients, connection):
    """The plan of each page's slowest query, to check that the indexes are used."""
    from django.test.utils import CaptureQueriesContext

    for label, who, url in pages:
        with CaptureQueriesContext(connection) as queries:
            clients[who].get(url)
        slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + slowest["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\n### {label}: slowest query ({float(slowest['time']) * 1000:.1f} ms)\n")
        print(slowest["sql"][:600])
        print(plan)


def format_table(vendor, pages, results, args):
    sizes = list(results)
    lines = [
        f"Admin pages on {vendor}, {args.per_article} claims per synthetic article, "
        f"{args.repeat} requests per page in process: queries per request, then the "
        "median and the fastest time in ms, and the fastest total time of its queries "
        "(SQL ms; the rest is Python and templates). The fastest time is the one to "
        "compare on a busy machine.",
        "",
        "| page | "
        + " | ".join(f"queries at {n:,}" for n in sizes)
        + " | "
        + " | ".join(f"ms at {n:,}: median / fastest" for n in sizes)
        + f" | SQL ms at {sizes[-1]:,} |",
        "|---|" + "---:|" * (2 * len(sizes) + 1),
    ]
    for label, _, _ in pages:
        queries = [str(results[n][label][0]) for n in sizes]
        ms = [
            f"{results[n][label][1] * 1000:.1f} / {results[n][label][2] * 1000:.1f}" for n in sizes
        ]
        sql = f"{results[sizes[-1]][label][3] * 1000:.0f}"
        lines.append(f"| {label} | " + " | ".join(queries) + " | " + " | ".join(ms) + f" | {sql} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
