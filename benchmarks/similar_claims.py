"""Published claims that say nearly the same thing (factcheck/similar.py): queries
and time per lookup, as the archive grows.

    .venv/bin/python benchmarks/similar_claims.py --sizes 1000,10000        # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench \\
        .venv/bin/python benchmarks/similar_claims.py --sizes 1000,10000,100000

A throwaway test database gets the article (its claims unpublished) and the
synthetic desk of ``admin_pages.py`` (a quarter of its claims published, from
articles of ``--per-article`` claims). Two lookups, each the median of
``--repeat``:

- **real**: the statement of the article's claim ``hundreds-subjected-to-torture``,
  which no synthetic claim resembles (the usual case: a few or no matches);
- **worst**: a synthetic claim's statement, which every published synthetic
  claim of another article resembles (all of them pass the threshold and are
  scored and sorted).

Each is reported in ms and as a ratio to its time at the smallest size, with
its query count (always 1). Machine-dependent: compare the ratios.
"""

import argparse
import statistics
import sys
import time

from admin_pages import FACT_CHECKERS, grow_to, refresh_statistics
from harness import run_on_throwaway_database


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="claims at each measurement")
    parser.add_argument("--per-article", type=int, default=100, help="claims per synthetic article")
    parser.add_argument("--repeat", type=int, default=7, help="lookups per case and size")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE (PostgreSQL)")
    args = parser.parse_args()
    args.sizes = sorted(int(size) for size in args.sizes.split(","))
    run_on_throwaway_database(run, args)


def run(args):
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from factcheck.models import Claim
    from factcheck.roles import Role
    from factcheck.similar import similar_published_claims

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
    real = Claim.objects.get(slug="hundreds-subjected-to-torture")

    rows = []
    for size in args.sizes:
        grow_to(size, args.per_article, people, checkers)
        refresh_statistics(connection)
        synthetic = Claim.objects.filter(slug__startswith="synthetic-").order_by("pk").first()
        published = Claim.objects.filter(live_revision__isnull=False).count()
        row = {"claims": Claim.objects.count(), "published": published}
        for case, claim in [("real", real), ("worst", synthetic)]:
            times = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    began = time.perf_counter()
                    found = similar_published_claims(
                        claim.statement, exclude_source=claim.source_id, exclude_claim=claim
                    )
                    times.append((time.perf_counter() - began) * 1000)
            row[case] = (statistics.median(times), len(queries), len(found))
        rows.append(row)
        print(row, file=sys.stderr)

    if args.explain and connection.vendor == "postgresql":
        for case, claim in [("real", real), ("worst", synthetic)]:
            with CaptureQueriesContext(connection) as queries:
                similar_published_claims(
                    claim.statement, exclude_source=claim.source_id, exclude_claim=claim
                )
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + queries[0]["sql"])
                print(f"\n{case}:\n" + "\n".join(line for (line,) in cursor.fetchall()))

    first = rows[0]
    print(f"\n{connection.vendor}: median of {args.repeat} lookups (ms, ratio to the smallest)")
    print(
        "| claims | published | real: ms | ratio | queries | found | worst: ms | ratio | queries |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        (r_ms, r_q, r_n), (w_ms, w_q, _) = row["real"], row["worst"]
        r_ratio, w_ratio = r_ms / first["real"][0], w_ms / first["worst"][0]
        print(
            f"| {row['claims']:,} | {row['published']:,} | {r_ms:.1f} | {r_ratio:.1f} "
            f"| {r_q} | {r_n} | {w_ms:.1f} | {w_ratio:.1f} | {w_q} |"
        )


if __name__ == "__main__":
    main()
