"""Queries, time and size per public page, with few published claims and many.

    .venv/bin/python benchmarks/public_pages.py                 # 100 vs 10,000, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck \\
        .venv/bin/python benchmarks/public_pages.py --claims 10000

It builds a throwaway test database, loads the article and publishes all of
its claims through the review workflow (so the annotated article is the real
one), then measures every public page at ``--baseline`` published claims and
again at ``--claims``. The extra claims are added in bulk and all quote the
same sentence, the worst case for the annotated article. Times are medians of
``--repeat`` requests; compare the ratios between runs, not the milliseconds.
It exits 1 if any page's query count grows with the number of claims.
"""

import argparse
import statistics
import sys
import time

from harness import run_on_throwaway_database

ARTICLE = "hrw-2020-11-06-belarus-expert-report-torture-inquiry"
SENTENCE = "the Belarusian government should cancel the results"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000, help="published claims, large")
    parser.add_argument("--baseline", type=int, default=100, help="published claims, small")
    parser.add_argument("--repeat", type=int, default=5, help="requests per page and size")
    args = parser.parse_args()

    run_on_throwaway_database(run, args)


def run(args):
    from django.contrib.auth.models import Group
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from factcheck.models import Claim, Source
    from factcheck.ratings import Verdict
    from factcheck.roles import Role
    from tests.bulk import publish_many
    from tests.newsroom import Newsroom

    call_command("loaddata", "belarus_hrw_2020", verbosity=0)
    source = Source.objects.get(slug=ARTICLE)
    User = Group.objects.model._meta.get_field("user").related_model
    people = []
    for name, role in [
        ("researcher", Role.RESEARCHER),
        ("factchecker", Role.FACT_CHECKER),
        ("editor", Role.EDITOR),
    ]:
        user = User.objects.create_user(name, f"{name}@localhost", "x", is_staff=True)
        user.groups.add(Group.objects.get(name=str(role)))
        people.append(user)
    newsroom = Newsroom(*people)
    verdicts = [v for v in Verdict if v != Verdict.NOT_YET_RATED]
    article_claims = list(Claim.objects.filter(source=source).order_by("quote_start"))
    for number, claim in enumerate(article_claims):
        newsroom.publish(claim, verdict=verdicts[number % len(verdicts)], rationale="Benchmark.")
    sample = article_claims[10]
    newsroom.correct(sample, verdict=Verdict.MIXED, rationale="Benchmark.", note="Benchmark.")

    def grow_to(total):
        missing = total - Claim.objects.published().count()
        if missing > 0:
            publish_many(
                source,
                missing,
                quote=SENTENCE,
                start=source.text.index(SENTENCE),
                approver=newsroom.factchecker,
                publisher=newsroom.editor,
            )

    pages = [
        ("front page", "/"),
        ("claim list", "/claims/"),
        ("claim list, filtered and sorted", "/claims/?verdict=mixed&sort=best"),
        ("claim list, search", "/claims/?q=torture"),
        ("claim page", f"/claims/{sample.slug}/"),
        ("annotated article", f"/sources/{ARTICLE}/"),
        ("methodology", "/methodology/"),
        ("corrections feed", "/corrections.atom"),
        ("API claim list", "/api/claims/"),
        ("API claim", f"/api/claims/{sample.slug}/"),
        ("API sources", "/api/sources/"),
        ("annotation", f"/claims/{sample.slug}/annotation.jsonld"),
        ("cached claim list", "/claims/"),
        ("cached claim page", f"/claims/{sample.slug}/"),
        ("repeat request (304)", "/claims/"),
    ]
    client = Client()

    def measure():
        results = {}
        for label, url in pages:
            headers = {}
            if label.startswith("repeat"):
                headers["if-none-match"] = client.get(url)["ETag"]
            client.get(url, headers=headers)  # warm up
            times = []
            for _ in range(args.repeat):
                if not label.startswith(("repeat", "cached")):
                    caches["default"].clear()  # measure the rendering, not the cache
                with CaptureQueriesContext(connection) as queries:
                    began = time.perf_counter()
                    response = client.get(url, headers=headers)
                    times.append(time.perf_counter() - began)
                assert response.status_code in (200, 304), (label, response.status_code)
            results[label] = (len(queries), statistics.median(times), len(response.content))
        return results

    article_n = Claim.objects.published().count()
    annotated_real = measure_one(client, f"/sources/{ARTICLE}/", args.repeat)
    grow_to(args.baseline)
    small_n = Claim.objects.published().count()
    small = measure()
    grow_to(args.claims)
    large_n = Claim.objects.published().count()
    large = measure()

    print(f"Database: {connection.vendor}; published claims: {small_n} and {large_n}")
    print(
        f"Annotated article with its own {article_n} published claims: "
        f"{annotated_real[1] / 1024:.1f} KiB, {annotated_real[0] * 1000:.1f} ms "
        f"(median of {args.repeat})"
    )
    print(
        f"| page | queries at {small_n} | queries at {large_n} | ms at {small_n} "
        f"| ms at {large_n} | time ratio | KiB at {large_n} |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, _ in pages:
        (q1, t1, _), (q2, t2, size) = small[label], large[label]
        print(
            f"| {label} | {q1} | {q2} | {t1 * 1000:.1f} | {t2 * 1000:.1f} "
            f"| {t2 / t1:.2f} | {size / 1024:.1f} |"
        )
    grew = [label for label, _ in pages if large[label][0] != small[label][0]]
    if grew:
        print(f"Query counts grew with the number of claims on: {', '.join(grew)}")
        sys.exit(1)


def measure_one(client, url, repeat):
    from django.core.cache import caches

    client.get(url)
    times, response = [], None
    for _ in range(repeat):
        caches["default"].clear()
        began = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - began)
    assert response.status_code == 200
    return statistics.median(times), len(response.content)


if __name__ == "__main__":
    main()
