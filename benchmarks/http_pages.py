"""Public pages over HTTP, at 1,000, 10,000 and 100,000 claims, as ratios to a trivial view.

    .venv/bin/pip install -r benchmarks/requirements.txt      # matplotlib, once
    .venv/bin/python benchmarks/http_pages.py                 # 1,000, 10,000, 100,000
    .venv/bin/python benchmarks/http_pages.py --sizes 1000 10000 --runs 3 --duration 5
    .venv/bin/python benchmarks/http_pages.py --quick --sizes 200   # a smoke check

For each size it drops and recreates its own PostgreSQL database (``--database-url``,
default ``factcheck_bench`` on 127.0.0.1; never the developer's), migrates it and
fills it with synthetic published claims, counts each page's queries in process,
then starts gunicorn as in production (``factcheck/gunicorn_conf.py``: 2 sync
workers, no control socket, ``FACTCHECK_ENV=production``, DEBUG off, the cache in
Redis at ``--cache-url``, default db 15, which it empties) and drives it with wrk.
Each page is measured uncached, cached and conditional (304), each sample right
after a sample of ``/bench/hello/`` (a view that does nothing, on the same server:
``benchmarks/urls.py``). It writes ``http_pages.md``, ``.json`` and ``.png`` in
``--output`` and prints the table and every budget as PASS or MISS; ``--strict``
exits 1 on a MISS. See ``benchmarks/http_results.py`` for the arithmetic.
"""

import argparse
import contextlib
import json
import logging
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import http_results as results  # noqa: E402

BASELINE = "/bench/hello/"
LUA = ROOT / "benchmarks" / "wrk_report.lua"
WORKERS = 2
CONNECTIONS = 4
PAGE_NAMES = [
    "claim-list",
    "search",
    "claim-page",
    "annotated-article",
    "api-claim-list",
    "corrections-feed",
]
WRK_MODES = {"uncached": "cold", "cached": "plain", "304": "conditional"}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000], help="claims"
    )
    parser.add_argument("--runs", type=int, default=3, help="samples of each page and mode")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk sample")
    parser.add_argument("--quick", action="store_true", help="smoke check: one run of 1 s samples")
    parser.add_argument(
        "--pages",
        nargs="+",
        choices=PAGE_NAMES,
        help="measure only these pages (default: all); names with - for spaces",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 if a budget is missed")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/factcheck_bench",
        help="PostgreSQL database to drop and recreate (its name must contain 'bench')",
    )
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/15",
        help="Redis database for the cache; it is emptied",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.duration = 1, 1
    if "bench" not in urlsplit(args.database_url).path:
        parser.error(f"{args.database_url}: it is dropped; use a database named *bench*")
    if urlsplit(args.database_url).scheme not in ("postgres", "postgresql"):
        parser.error("--database-url must be a PostgreSQL database")
    if urlsplit(args.cache_url).scheme != "redis":
        parser.error("--cache-url must be a Redis database (redis://host:port/db)")
    if args.runs < 1 or args.duration <= 0 or min(args.sizes) < 1:
        parser.error("--runs, --duration and --sizes must be positive")
    return args


def missing_tools() -> list[str]:
    """What this machine lacks to run the benchmark, in words."""
    missing = []
    if shutil.which("wrk") is None:
        missing.append("wrk (apt-get install wrk)")
    for module, how in [
        ("gunicorn", "pip install -r requirements.txt"),
        ("matplotlib", "pip install -r benchmarks/requirements.txt"),
    ]:
        try:
            __import__(module)
        except ImportError:
            missing.append(f"{module} ({how})")
    return missing


def environment(args) -> dict:
    """Production settings, as the server and this process both run them."""
    return {
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "FACTCHECK_NO_BOOTSTRAP": "1",
        "FACTCHECK_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on loopback: no redirect to HTTPS (a proxy would terminate TLS).
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": args.database_url,
        "CACHE_URL": args.cache_url,
        "WEB_CONCURRENCY": str(WORKERS),
        "PYTHONPATH": str(ROOT),
    }


def recreate_database(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def build_data(total: int, out=sys.stderr) -> None:
    """Fill the migrated database with ``total`` synthetic claims, through the app's
    own import and workflow paths (``benchmarks/dataset.py``)."""
    from django.db import connection

    from benchmarks.dataset import build

    build(total, out=out)
    # As a database in service would be: its statistics up to date (the plans
    # depend on them), and neither autovacuum nor a checkpoint of the build's
    # writes catching up during the measurements.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")


def choose_pages(names=None) -> list[tuple[str, str]]:
    """The pages measured (``names``, or all): the lists, a search, the first
    published claim's page and its article (annotated), the API list and the
    corrections feed."""
    from factcheck.public.published import live_claims

    claim = live_claims().select_related("live_revision__source").first()
    if claim is None:
        raise SystemExit("The data set has no published claim to measure.")
    revision = claim.live_revision
    pages = [
        ("claim list", "/claims/"),
        ("search", "/claims/?q=torture"),
        ("claim page", f"/claims/{revision.slug}/"),
        ("annotated article", f"/sources/{revision.source.slug}/"),
        ("API claim list", "/api/claims/"),
        ("corrections feed", "/corrections.atom"),
    ]
    names = names or PAGE_NAMES
    return [(page, url) for page, url in pages if page.lower().replace(" ", "-") in names]


def count_queries(pages) -> dict:
    """Queries per page and mode, in this process (the server's settings)."""
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    caches["default"].clear()
    client = Client(SERVER_NAME="127.0.0.1")
    counts = {}
    for page, url in pages:
        for mode in results.MODES:
            headers = {}
            if mode == "uncached":
                headers["accept"] = f"*/*;bench=count-{secrets.token_hex(8)}"
            elif mode == "cached":
                client.get(url)
            else:
                headers["if-none-match"] = client.get(url)["ETag"]
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, headers=headers)
            expected = 304 if mode == "304" else 200
            if response.status_code != expected:
                raise SystemExit(f"{url} ({mode}) answered {response.status_code}, not {expected}")
            counts[(page, mode)] = len(queries)
    caches["default"].clear()
    return counts


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, headers=None) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@contextlib.contextmanager
def gunicorn(env: dict, log_path: Path):
    """A production gunicorn on a free loopback port; yields its base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "python:factcheck.gunicorn_conf",
        "--workers",
        str(WORKERS),
        "--no-control-socket",
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(ROOT),
        "factcheck.wsgi",
    ]
    with open(log_path, "ab") as log:
        server = subprocess.Popen(command, env={**os.environ, **env}, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn exited ({server.returncode}); see {log_path}")
            with contextlib.suppress(OSError):
                if fetch(base + BASELINE)[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not answer within 60 s; see {log_path}")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run_wrk(url: str, mode: str, duration: float, etag: str = "") -> dict:
    if WRK_MODES.get(mode, mode) == "cold":
        etag = secrets.token_hex(8)  # this run's own Accept headers, cached by no earlier run
    command = [
        "wrk",
        "-t1",
        f"-c{CONNECTIONS}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(LUA),
        url,
        "--",
        WRK_MODES.get(mode, mode),
        etag,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 90)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return results.parse_wrk(done.stdout)


def prepare(base: str, pages) -> dict:
    """Warm both workers on every page, check each answers as expected, and return
    each page's ETag (for the 304 mode)."""
    etags = {}
    for _ in range(4 * WORKERS):
        fetch(base + BASELINE)
    for page, url in pages:
        for _ in range(2 * WORKERS):
            status, headers = fetch(base + url)
        if status != 200 or "ETag" not in headers:
            raise SystemExit(f"{url} answered {status} (ETag: {headers.get('ETag')}), not 200")
        etags[page] = headers["ETag"]
        status, _ = fetch(base + url, {"If-None-Match": etags[page]})
        if status != 304:
            raise SystemExit(f"{url} with If-None-Match answered {status}, not 304")
    return etags


def measure(base: str, pages, size: int, args, out=sys.stderr) -> list[dict]:
    """``args.runs`` rounds; in each, every page in every mode, each sample after
    a sample of the baseline."""
    etags = prepare(base, pages)
    run_wrk(base + BASELINE, "plain", min(args.duration, 2))  # warm-up, not recorded
    samples = []
    for run in range(args.runs):
        for page, url in pages:
            for mode in results.MODES:
                baseline = run_wrk(base + BASELINE, "plain", args.duration)
                sample = run_wrk(base + url, mode, args.duration, etags[page])
                samples.append({"size": size, "run": run, "page": "baseline", "mode": "-"})
                samples[-1].update(baseline)
                samples.append(
                    {"size": size, "run": run, "page": page, "mode": mode, "url": url}
                    | sample
                    | {"baseline_rps": baseline["rps"]}
                )
                print(
                    f"  {size:,} run {run + 1}/{args.runs}: {page}, {mode}: "
                    f"{sample['rps']:,.1f} req/s, baseline {baseline['rps']:,.0f}: "
                    f"ratio {sample['rps'] / baseline['rps']:.3f}",
                    file=out,
                )
    return samples


def main(argv=None):
    args = parse_args(argv)
    missing = missing_tools()
    if missing:
        raise SystemExit("The HTTP benchmark needs: " + "; ".join(missing))
    env = environment(args)
    os.environ.update(env)
    import django

    django.setup()
    # The server logs at INFO as in production; here, building data, only trouble.
    logging.getLogger("factcheck").setLevel(logging.WARNING)
    from django.core.cache import caches
    from django.core.management import call_command

    from factcheck.models import Claim

    load_before = os.getloadavg()[0]
    call_command("collectstatic", interactive=False, verbosity=0)
    args.output.mkdir(parents=True, exist_ok=True)
    samples, queries, published = [], {}, {}
    with tempfile.TemporaryDirectory(prefix="http-bench-") as scratch:
        log = Path(scratch) / "gunicorn.log"
        for size in sorted(set(args.sizes)):
            print(f"{size:,} claims: building the database", file=sys.stderr)
            began = time.monotonic()
            recreate_database(args.database_url)
            call_command("migrate", verbosity=0)
            build_data(size)
            published[size] = Claim.objects.published().count()
            print(
                f"{size:,} claims: {published[size]:,} published, "
                f"built in {time.monotonic() - began:.0f} s",
                file=sys.stderr,
            )
            pages = choose_pages(args.pages)
            queries[size] = count_queries(pages)
            caches["default"].clear()
            from django.db import connections

            connections.close_all()
            with gunicorn(env, log) as base:
                samples += measure(base, pages, size, args)
            caches["default"].clear()
    load = (load_before, os.getloadavg()[0])
    summary = results.summarise(samples)
    checks = results.check_budgets(summary, queries)
    meta = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}",
        "runs": args.runs,
        "duration_s": args.duration,
        "connections": CONNECTIONS,
        "workers": WORKERS,
        "published_claims": {str(size): n for size, n in published.items()},
        "load_average": load,
        "description": (
            f"gunicorn ({WORKERS} sync workers, production settings, DEBUG off), PostgreSQL "
            f"and Redis on 127.0.0.1; wrk with {CONNECTIONS} connections, "
            f"{args.runs} run(s) of {args.duration} s per page and mode; "
            f"{os.cpu_count()} CPUs shared by wrk, the server and the databases "
            f"(load average {load[0]:.1f} before, {load[1]:.1f} after). "
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: "
            "`python benchmarks/http_pages.py "
            + " ".join(argv if argv is not None else sys.argv[1:])
            + "`."
        ),
    }
    report = results.markdown(summary, queries, checks, meta)
    (args.output / "http_pages.md").write_text(report)
    (args.output / "http_pages.json").write_text(
        json.dumps(results.to_json(samples, summary, queries, checks, meta), indent=1) + "\n"
    )
    results.chart(summary, args.output / "http_pages.png")
    print(report)
    if args.strict and not all(c["passed"] for c in checks):
        sys.exit(1)


if __name__ == "__main__":
    main()
