"""Article body extraction quality on the Article Extraction Benchmark.

The benchmark (scrapinghub/article-extraction-benchmark, MIT License) is 181
real article pages with the true article body of each, and published scores
for the common libraries. This script runs extractors on its pages and scores
them exactly as its ``evaluate.py`` does (``benchmarks/extraction_scoring.py``):
F1, precision and recall of 4-word shingles. It reads a local copy and never
downloads anything::

    git clone https://github.com/scrapinghub/article-extraction-benchmark /tmp/aeb
    git -C /tmp/aeb checkout 4a3bc979f76c0df73cb95fe272e2fc1b96f9f010
    .venv/bin/pip install -r benchmarks/requirements.txt
    .venv/bin/python benchmarks/extraction.py --data /tmp/aeb --write

Extractors:

- ``trafilatura``: ``trafilatura.extract(html, include_comments=False)``, as the
  benchmark's own ``extractors/run_trafilatura.py``; then the same with
  ``favor_recall``, ``favor_precision`` and ``include_tables=False`` (tables
  are included by default);
- ``readability-lxml``: ``Document(html).summary(html_partial=True)``, its text
  by ``html_text.extract_text``, as ``extractors/run_readability.py``;
- ``ours``: ``factcheck.articles.extraction.extract_html(data, url=...)``, the
  importer's extraction (the page's bytes and its URL from the ground truth);
  skipped, with the reason, where that module is absent.

``--published`` also scores the outputs the benchmark stores for trafilatura
and readability (``output/*.json``): our copy of the scoring gives the
published figures back, which checks the copy. Results go to
``benchmarks/results/extraction.md`` and ``.json`` with ``--write``.
"""

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import harness  # noqa: F401  (Django settings for "ours")
from benchmarks.extraction_scoring import difference, evaluate

RESULTS = Path(__file__).resolve().parent / "results"
BENCHMARK_COMMIT = "4a3bc979f76c0df73cb95fe272e2fc1b96f9f010"


def trafilatura_extractor(**options):
    import trafilatura

    def extract(html: str, data: bytes, url: str) -> str:
        return trafilatura.extract(html, include_comments=False, **options) or ""

    return extract


def readability_extractor():
    import html_text
    from readability import Document

    def extract(html: str, data: bytes, url: str) -> str:
        return html_text.extract_text(Document(html).summary(html_partial=True))

    return extract


def ours_extractor():
    import django

    django.setup()
    from factcheck.articles.extraction import extract_html

    def extract(html: str, data: bytes, url: str) -> str:
        return extract_html(data, url=url).text

    return extract


def version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version(distribution)
    except PackageNotFoundError:
        return "?"


# name -> (how it is called, the package whose version it reports, how to make it)
EXTRACTORS = {
    "trafilatura": (
        "`trafilatura.extract(html, include_comments=False)`",
        "trafilatura",
        trafilatura_extractor,
    ),
    "trafilatura favor_recall": (
        "the same, `favor_recall=True`",
        "trafilatura",
        lambda: trafilatura_extractor(favor_recall=True),
    ),
    "trafilatura favor_precision": (
        "the same, `favor_precision=True`",
        "trafilatura",
        lambda: trafilatura_extractor(favor_precision=True),
    ),
    "trafilatura no tables": (
        "the same, `include_tables=False`",
        "trafilatura",
        lambda: trafilatura_extractor(include_tables=False),
    ),
    "readability-lxml": (
        "`html_text.extract_text(Document(html).summary(html_partial=True))`",
        "readability-lxml",
        readability_extractor,
    ),
    "ours": (
        "`factcheck.articles.extraction.extract_html(data, url=url).text`",
        "",
        ours_extractor,
    ),
}
PUBLISHED_OUTPUTS = {
    "trafilatura (stored output)": "trafilatura",
    "readability (stored output)": "readability",
}


def load_pages(data: Path) -> tuple[dict, dict]:
    """The ground truth and each page's (HTML text, bytes), by item id."""
    truth_path = data / "ground-truth.json"
    if not truth_path.exists():
        raise SystemExit(f"{truth_path} not found: --data is a copy of the benchmark (see --help)")
    truth = json.loads(truth_path.read_text(encoding="utf8"))
    pages = {}
    for path in sorted((data / "html").glob("*.html.gz")):
        raw = gzip.decompress(path.read_bytes())
        pages[path.stem.split(".")[0]] = (raw.decode("utf8"), raw)
    if pages.keys() != truth.keys():
        raise SystemExit("the pages in html/ do not match ground-truth.json")
    return truth, pages


def run_extractor(make, truth, pages):
    extract = make()
    output, failures = {}, 0
    started = time.perf_counter()
    for key, (html, raw) in pages.items():
        try:
            text = extract(html, raw, truth[key].get("url", ""))
        except Exception as error:  # a crash on one page counts as an empty body
            failures += 1
            print(f"  {key}: {type(error).__name__}: {error}", file=sys.stderr)
            text = ""
        output[key] = {"articleBody": text}
    return output, failures, time.perf_counter() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a local copy of the benchmark")
    parser.add_argument("--only", nargs="*", choices=list(EXTRACTORS), help="these extractors")
    parser.add_argument("--published", action="store_true", help="also score its stored outputs")
    parser.add_argument("--n-bootstrap", type=int, default=1000)
    parser.add_argument("--write", action="store_true", help="write benchmarks/results/")
    args = parser.parse_args(argv)

    truth, pages = load_pages(args.data)
    print(f"{len(pages)} pages from {args.data}")
    rows = []
    if args.published:
        for name, stem in PUBLISHED_OUTPUTS.items():
            stored = json.loads((args.data / "output" / f"{stem}.json").read_text(encoding="utf8"))
            output, stored_version = stored["output"], stored.get("version", "")
            metrics = evaluate(truth, output, args.n_bootstrap)
            rows.append(
                row(
                    name,
                    stored_version,
                    f"scored from the benchmark's `output/{stem}.json`",
                    metrics,
                )
            )
            print(line(rows[-1]))
    for name in args.only or list(EXTRACTORS):
        how, package, make = EXTRACTORS[name]
        try:
            output, failures, seconds = run_extractor(make, truth, pages)
        except ImportError as missing:
            print(f"{name:<28} skipped: {missing}")
            rows.append({"name": name, "skipped": str(missing), "how": how})
            continue
        metrics = evaluate(truth, output, args.n_bootstrap)
        rows.append(row(name, version(package) if package else "this branch", how, metrics))
        rows[-1].update(failures=failures, seconds=round(seconds, 1))
        print(line(rows[-1]))
    baseline = next((r for r in rows if r["name"] == "trafilatura" and "f1" in r), None)
    for r in rows:
        if baseline and "f1" in r and r is not baseline:
            diff = difference(r["tp_fp_fns"], baseline["tp_fp_fns"], args.n_bootstrap)
            r["f1_minus_trafilatura"] = diff["f1"]
            mean, std = diff["f1"]
            print(f"{r['name']:<28} F1 minus trafilatura's: {mean:+.3f} ± {std:.3f}")
    if args.write:
        write(rows, len(pages), args.n_bootstrap)


def row(name, version_, how, metrics):
    return {"name": name, "version": version_, "how": how, **metrics}


def line(r) -> str:
    return (
        f"{r['name']:<28} {r['version']:<12} F1 {r['f1']:.3f} ± {r['f1_std']:.3f}  "
        f"precision {r['precision']:.3f} ± {r['precision_std']:.3f}  "
        f"recall {r['recall']:.3f} ± {r['recall_std']:.3f}  "
        f"accuracy {r['accuracy']:.3f} ± {r['accuracy_std']:.3f}"
    )


def paired(r) -> str:
    if "f1_minus_trafilatura" not in r:
        return "" if r["name"] != "trafilatura" else "(the baseline)"
    mean, std = r["f1_minus_trafilatura"]
    return f"{mean:+.3f} ± {std:.3f}"


def write(rows, n_pages, n_bootstrap):
    RESULTS.mkdir(exist_ok=True)
    kept = [{k: v for k, v in r.items() if k != "tp_fp_fns"} for r in rows]
    (RESULTS / "extraction.json").write_text(json.dumps(kept, indent=2) + "\n", encoding="utf8")
    table = [
        "| Extractor | Version | F1 | Precision | Recall | Accuracy "
        "| F1 minus trafilatura's (paired) | How it is called |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "skipped" in r:
            table.append(f"| {r['name']} | | skipped: {r['skipped']} | | | | | {r['how']} |")
            continue
        table.append(
            f"| {r['name']} | {r['version']} | {r['f1']:.3f} ± {r['f1_std']:.3f} "
            f"| {r['precision']:.3f} ± {r['precision_std']:.3f} "
            f"| {r['recall']:.3f} ± {r['recall_std']:.3f} "
            f"| {r['accuracy']:.3f} ± {r['accuracy_std']:.3f} | {paired(r)} | {r['how']} |"
        )
    path = RESULTS / "extraction.md"
    text = path.read_text(encoding="utf8") if path.exists() else ""
    start, end = "<!-- measured: start -->", "<!-- measured: end -->"
    measured = (
        f"{start}\n{n_pages} pages, commit {BENCHMARK_COMMIT} of the benchmark; "
        f"± is the standard deviation over {n_bootstrap:,} bootstrap resamples.\n\n"
        + "\n".join(table)
        + f"\n{end}"
    )
    if start in text and end in text:
        text = text[: text.index(start)] + measured + text[text.index(end) + len(end) :]
    else:
        text = measured + "\n"
    path.write_text(text, encoding="utf8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
