"""Queries and time per admin page, with a small desk and a large one.

    .venv/bin/python benchmarks/admin_pages.py                 # 100 vs 10,000 claims, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck \\
        .venv/bin/python benchmarks/admin_pages.py --claims 10000

It builds a throwaway test database (in memory for SQLite, ``test_<name>``
for PostgreSQL), loads the article, then measures each page at the baseline
size and again after growing the desk to ``--claims``. Times are medians of
``--repeat`` requests; the ratio large/baseline is what to compare between
runs, not the absolute milliseconds.
"""

import argparse
import statistics
import sys
import time

from harness import run_on_throwaway_database


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000, help="size of the large desk")
    parser.add_argument("--baseline", type=int, default=100, help="size of the small desk")
    parser.add_argument("--repeat", type=int, default=5, help="requests per page and size")
    args = parser.parse_args()

    run_on_throwaway_database(run, args)


def run(args):
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from factcheck.history import bulk_create_with_history
    from factcheck.models import Claim, ClaimKind, ClaimStatus, Source
    from factcheck.models.claims import workflow_writes
    from factcheck.ratings import Verdict
    from factcheck.roles import Role

    call_command("loaddata", "belarus_hrw_2020", verbosity=0)
    source = Source.objects.get(slug="hrw-2020-11-06-belarus-expert-report-torture-inquiry")
    User = Group.objects.model._meta.get_field("user").related_model
    people = {}
    for name, role in [("editor", Role.EDITOR), ("factchecker", Role.FACT_CHECKER)]:
        user = User.objects.create_user(name, f"{name}@localhost", "x", is_staff=True)
        user.groups.add(Group.objects.get(name=str(role)))
        people[name] = user

    sample = Claim.objects.get(slug="hundreds-subjected-to-torture")
    quote, start = sample.quote, sample.quote_start

    def grow_to(total):
        missing = total - Claim.objects.count()
        batch = [
            Claim(
                source=source,
                slug=f"bench-{total}-{i}",
                statement=f"Benchmark claim {i}",
                quote=quote,
                quote_start=start,
                quote_end=start + len(quote),
                quote_prefix=source.text[start - 32 : start],
                quote_suffix=source.text[start + len(quote) : start + len(quote) + 32],
                attributed_to=f"Speaker {i % 40}",
                kind=list(ClaimKind)[i % len(ClaimKind)],
                status=list(ClaimStatus)[i % 3],  # draft, in review, approved
                verdict=list(Verdict)[i % len(Verdict)],
                assignee=people["factchecker"] if i % 3 == 1 else None,
            )
            for i in range(max(missing, 0))
        ]
        with workflow_writes():
            bulk_create_with_history(batch, Claim, reason="Benchmark data", batch_size=1000)

    changelist = reverse("admin:factcheck_claim_changelist")
    pages = [
        ("claim list", "editor", changelist),
        ("claim list, in review", "editor", changelist + "?status__exact=in_review"),
        ("claim list, assigned to me", "factchecker", changelist + "?assignee=me"),
        ("claim list, search", "editor", changelist + "?q=torture"),
        ("claim page", "editor", reverse("admin:factcheck_claim_change", args=[sample.pk])),
        ("claim history", "editor", reverse("admin:factcheck_claim_history", args=[sample.pk])),
        (
            "submit step page",
            "editor",
            reverse("admin:factcheck_claim_step", args=[sample.pk, "submit"]),
        ),
        ("dashboard", "factchecker", reverse("admin:index")),
    ]
    clients = {}
    for name, user in people.items():
        clients[name] = Client()
        clients[name].force_login(user)

    def measure():
        results = {}
        for label, who, url in pages:
            client = clients[who]
            client.get(url)  # warm up
            times = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    began = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - began)
                assert response.status_code == 200, (label, response.status_code)
            results[label] = (len(queries), statistics.median(times))
        return results

    grow_to(args.baseline)
    small_n = Claim.objects.count()
    small = measure()
    grow_to(args.claims)
    large_n = Claim.objects.count()
    large = measure()

    print(f"Database: {connection.vendor}; claims: {small_n} (baseline) and {large_n}")
    print(
        f"| page | queries at {small_n} | queries at {large_n} | ms at {small_n} "
        f"| ms at {large_n} | time ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for label, _, _ in pages:
        (q1, t1), (q2, t2) = small[label], large[label]
        print(f"| {label} | {q1} | {q2} | {t1 * 1000:.1f} | {t2 * 1000:.1f} | {t2 / t1:.2f} |")
    grew = [label for label, _, _ in pages if large[label][0] != small[label][0]]
    if grew:
        print(f"Query counts grew with the desk on: {', '.join(grew)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
