"""Import throughput with history, in claims per second (issue 11, "Writes").

    .venv/bin/python benchmarks/writes.py                     # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck \\
        .venv/bin/python benchmarks/writes.py --claims 5000 50000   # SQLite and PostgreSQL

Measures, on a throwaway database each time (benchmarks/harness.py):

- ``import_rows``: synthetic articles of ``--per-article`` claims, each claim
  with one or two citations, validated, anchored and written with one history
  row per object, one transaction per article (the article import);
- ``loaddata``: a fixture of new synthetic sources, claims and citations, read
  by the project's history-writing ``loaddata`` (one transaction).

Each measurement runs in its own process; the table gives claims per second
against the issue's goal of 5,000 per second. Synthetic data only
(benchmarks/dataset.py's articles: example.org addresses, no real names).
"""

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from harness import run_on_throwaway_database

GOAL = 5000
HERE = Path(__file__).resolve().parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, nargs="*", default=[5000, 50000])
    parser.add_argument(
        "--loaddata-claims", type=int, nargs="*", default=[5000], help="fixture sizes"
    )
    parser.add_argument("--per-article", type=int, default=100)
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)  # child: path size
    args = parser.parse_args()
    if args.measure:
        run_on_throwaway_database(measure, args)
        return
    databases = [("SQLite", {k: v for k, v in os.environ.items() if k != "DATABASE_URL"})]
    if os.environ.get("DATABASE_URL"):
        databases.append(("PostgreSQL", dict(os.environ)))
    jobs = [("import_rows", n) for n in args.claims] + [
        ("loaddata", n) for n in args.loaddata_claims
    ]
    results = []
    for name, env in databases:
        for path, size in jobs:
            command = [sys.executable, str(HERE / "writes.py"), "--measure", path, str(size)]
            command += ["--per-article", str(args.per_article)]
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
            lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
            if done.returncode or not lines:
                sys.stderr.write(done.stderr[-2000:])
                raise SystemExit(f"{path} with {size} claims on {name} failed")
            result = json.loads(lines[-1])
            results.append((name, path, size, result["seconds"]))
            sys.stderr.write(f"{name} {path} {size}: {size / result['seconds']:,.0f} claims/s\n")
    print("| path | database | claims | seconds | claims/s | of the 5,000/s goal |")
    print("|---|---|---:|---:|---:|---:|")
    for name, path, size, seconds in results:
        rate = size / seconds
        print(f"| {path} | {name} | {size:,} | {seconds:.2f} | {rate:,.0f} | {rate / GOAL:.2f}× |")


def measure(args):
    import logging

    logging.getLogger("factcheck").setLevel(logging.WARNING)
    path, size = args.measure[0], int(args.measure[1])
    seconds = (time_import if path == "import_rows" else time_loaddata)(size, args.per_article)
    print(json.dumps({"seconds": seconds}))


def _setup(size, per_article):
    from django.contrib.auth import get_user_model

    from benchmarks.dataset import EVIDENCE_SOURCES, _accounts, _rows, _sources

    users = _accounts()
    researcher = get_user_model().objects.get(username="synthetic-researcher")
    articles = max(1, -(-size // per_article))
    evidence, sources = _sources(articles, per_article, users["synthetic-researcher"])
    assert len(evidence) == EVIDENCE_SOURCES
    jobs = []
    for article, source in enumerate(sources):
        count = min(per_article, size - article * per_article)
        jobs.append((source, _rows(article, count, evidence)))
    return researcher, evidence, jobs


def time_import(size, per_article) -> float:
    from factcheck.importing import import_rows
    from factcheck.models import Claim

    researcher, _, jobs = _setup(size, per_article)
    # The prepared rows live throughout: keep the collector from walking them again
    # and again (its cost would grow with the benchmark's own input).
    gc.collect()
    gc.freeze()
    began = time.perf_counter()
    for source, rows in jobs:
        import_rows(source, rows, user=researcher, reason="Synthetic import benchmark")
    seconds = time.perf_counter() - began
    assert Claim.objects.count() == size == Claim.history.count()
    return seconds


def time_loaddata(size, per_article) -> float:
    from django.core.management import call_command

    from benchmarks.dataset import EVIDENCE_SOURCES, _accounts, _rows, article_text
    from factcheck.models import Claim

    _accounts()
    objects = []
    for i in range(EVIDENCE_SOURCES):
        objects.append(
            _source_object(
                f"synthetic-evidence-{i}",
                f"Synthetic evidence document {i}",
                f"Synthetic evidence document {i}. Page {i} confirms the recorded figures.",
            )
        )
    evidence = [
        SimpleNamespace(slug=o["fields"]["slug"], text=o["fields"]["text"]) for o in objects
    ]
    articles = max(1, -(-size // per_article))
    for article in range(articles):
        count = min(per_article, size - article * per_article)
        slug = f"synthetic-article-{article}"
        objects.append(
            _source_object(slug, f"Synthetic article {article}", article_text(article, per_article))
        )
        for row in _rows(article, count, evidence):
            citations = row.pop("citations")
            objects.append(
                {
                    "model": "factcheck.claim",
                    "fields": {**row, "key": row["slug"], "source": [slug]},
                }
            )
            for citation in citations:
                objects.append(
                    {
                        "model": "factcheck.citation",
                        "fields": {
                            **citation,
                            "key": f"{row['slug']}/{citation['source']}/{citation['locator']}",
                            "claim": [row["slug"]],
                            "source": [citation["source"]],
                        },
                    }
                )
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / "synthetic_writes.json"
        fixture.write_text(json.dumps(objects), encoding="utf-8")
        began = time.perf_counter()
        call_command("loaddata", str(fixture), user="synthetic-researcher", verbosity=0)
        seconds = time.perf_counter() - began
    assert Claim.objects.count() == size == Claim.history.count()
    return seconds


def _source_object(slug, title, text):
    return {
        "model": "factcheck.source",
        "fields": {
            "key": slug,
            "slug": slug,
            "title": title,
            "url": f"https://example.org/synthetic/{slug}",
            "publisher": "Synthetic Publisher",
            "kind": "report",
            "language": "en",
            "text": text,
        },
    }


if __name__ == "__main__":
    main()
