"""The HTTP benchmark (benchmarks/http_pages.py): its arithmetic, its report, the
headers its wrk script sends, and one quick run end to end where the tools are."""

import contextlib
import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading

import pytest

from benchmarks import http_results as results
from tests.conftest import ROOT

# What wrk printed for a 1 s run with benchmarks/wrk_report.lua (other lines trimmed).
WRK_OUTPUT = """\
Running 1s test @ http://127.0.0.1:18765/
  1 threads and 2 connections
  Latency Distribution
     50%    1.37ms
     99%    2.91ms
  1345 requests in 1.00s, 2.18MB read
Requests/sec:   1343.96
wrk-json {"requests": 1345, "duration_us": 1000775, "bytes": 2289346, \
"errors": {"connect": 0, "read": 0, "write": 0, "status": 2, "timeout": 1}, \
"latency_us": {"p50": 1365, "p90": 1993, "p99": 2908, "max": 4397, "mean": 1408.9}}
"""


def test_parse_wrk_reads_rate_latency_and_failures_from_the_report_line():
    parsed = results.parse_wrk(WRK_OUTPUT)

    assert parsed["requests"] == 1345
    assert parsed["rps"] == pytest.approx(1345 / 1.000775)
    assert parsed["p50_ms"] == pytest.approx(1.365)
    assert parsed["p99_ms"] == pytest.approx(2.908)
    assert parsed["errors"] == 3


def test_parse_wrk_without_a_report_line_says_so():
    with pytest.raises(results.WrkOutputError, match="no 'wrk-json' line"):
        results.parse_wrk("unable to connect to 127.0.0.1:8000 Connection refused\n")


def sample(size, page, mode, rps, baseline_rps=None, errors=0, p50=1.0, p99=2.0):
    row = {
        "size": size,
        "page": page,
        "mode": mode,
        "rps": rps,
        "p50_ms": p50,
        "p99_ms": p99,
        "errors": errors,
    }
    if baseline_rps is not None:
        row["baseline_rps"] = baseline_rps
    return row


def test_each_ratio_is_the_median_of_ratios_to_the_baseline_run_just_before():
    samples = [
        sample(1000, "baseline", "-", 1000),
        sample(1000, "claim list", "cached", 800, baseline_rps=1000),  # 0.8
        sample(1000, "baseline", "-", 2000),
        sample(1000, "claim list", "cached", 1000, baseline_rps=2000),  # 0.5
        sample(1000, "baseline", "-", 1500),
        sample(1000, "claim list", "cached", 600, baseline_rps=1500),  # 0.4
    ]

    summary = results.summarise(samples)

    row = summary[1000]["pages"][("claim list", "cached")]
    assert row["ratio"] == pytest.approx(0.5)  # not 800 / 1500, the medians' ratio
    assert row["rps"] == 800
    assert row["runs"] == 3
    assert summary[1000]["baseline"]["rps"] == 1500


def summary_of(ratios: dict, errors=0):
    """A summary with one sample per (size, page, mode) at the given ratio."""
    samples = []
    for (size, page, mode), ratio in ratios.items():
        samples.append(sample(size, "baseline", "-", 1000))
        samples.append(sample(size, page, mode, 1000 * ratio, baseline_rps=1000, errors=errors))
    return results.summarise(samples)


def verdicts(checks):
    return {(c["budget"], c["page"], c["mode"], c["size"]): c["passed"] for c in checks}


def test_cached_and_304_need_seven_tenths_of_the_baseline_at_every_size():
    summary = summary_of(
        {
            (1000, "claim list", "cached"): 0.70,
            (1000, "claim list", "304"): 0.69,
            (10000, "claim list", "cached"): 0.9,
            (10000, "claim list", "304"): 0.5,
        }
    )

    checks = verdicts(results.check_budgets(summary, {}))

    assert checks == {
        ("ratio >= 0.7", "claim list", "cached", 1000): True,
        ("ratio >= 0.7", "claim list", "304", 1000): False,
        ("ratio >= 0.7", "claim list", "cached", 10000): True,
        ("ratio >= 0.7", "claim list", "304", 10000): False,
    }


def test_uncached_budget_applies_at_ten_thousand_to_the_four_html_pages():
    summary = summary_of(
        {
            (1000, "claim list", "uncached"): 0.01,
            (10000, "claim list", "uncached"): 0.15,
            (10000, "annotated article", "uncached"): 0.149,
            (10000, "API claim list", "uncached"): 0.01,
        }
    )

    checks = verdicts(results.check_budgets(summary, {}))

    assert checks == {
        ("ratio >= 0.15", "claim list", "uncached", 10000): True,
        ("ratio >= 0.15", "annotated article", "uncached", 10000): False,
    }


def test_cost_growth_is_checked_between_one_thousand_and_one_hundred_thousand():
    summary = summary_of(
        {
            (1000, "claim page", "uncached"): 0.06,
            (10000, "claim page", "uncached"): 0.05,
            (100000, "claim page", "uncached"): 0.03,  # costs 2x as much
            (1000, "search", "uncached"): 0.06,
            (100000, "search", "uncached"): 0.045,  # 1.33x
        }
    )

    checks = results.check_budgets(summary, {})

    growth = {c["page"]: (c["value"], c["passed"]) for c in checks if "cost" in c["budget"]}
    assert growth["claim page"] == (pytest.approx(2.0), False)
    assert growth["search"] == (pytest.approx(0.06 / 0.045), True)
    without_large = results.check_budgets(
        summary_of({(1000, "search", "uncached"): 0.06, (10000, "search", "uncached"): 0.01}),
        {},
    )
    assert not [c for c in without_large if "cost" in c["budget"]]


def test_query_counts_must_not_change_with_the_number_of_claims():
    queries = {
        1000: {("claim list", "uncached"): 4, ("claim list", "304"): 1},
        10000: {("claim list", "uncached"): 5, ("claim list", "304"): 1},
    }

    checks = results.check_budgets({}, queries)

    assert verdicts(checks) == {
        ("same queries at every size", "claim list", "304", 10000): True,
        ("same queries at every size", "claim list", "uncached", 10000): False,
    }
    (grew,) = [c for c in checks if not c["passed"]]
    assert grew["value"] == [4, 5]


def test_a_page_that_fails_requests_misses_however_fast_it_answers():
    summary = summary_of({(1000, "claim list", "cached"): 2.0}, errors=7)

    checks = results.check_budgets(summary, {})

    assert ("no failed request", "claim list", "cached", 1000) in verdicts(checks)
    assert not all(c["passed"] for c in checks)


def test_the_markdown_report_has_the_ratios_the_numbers_and_each_budget():
    summary = summary_of(
        {
            (1000, "claim list", "uncached"): 0.05,
            (1000, "claim list", "304"): 0.35,
            (10000, "claim list", "uncached"): 0.2,
            (10000, "claim list", "304"): 0.8,
        }
    )
    queries = {1000: {("claim list", "uncached"): 4}, 10000: {("claim list", "uncached"): 4}}
    checks = results.check_budgets(summary, queries)

    report = results.markdown(summary, queries, checks, {"description": "A test run."})

    assert "| page | mode | ratio at 1,000 | ratio at 10,000 |" in report
    assert "| trivial view | req/s | 1,000 | 1,000 |" in report
    assert "| claim list | uncached | 0.050 | 0.200 |" in report
    assert "| claim list | uncached | 200.0 | 0.200 | 1.00 | 2.00 | 4 | 0 |" in report
    assert "- MISS: claim list, 304, 1,000 claims: ratio >= 0.7: 0.350 (2.0x short)" in report
    assert "- PASS: claim list, 304, 10,000 claims: ratio >= 0.7: 0.800" in report
    assert "- PASS: claim list, uncached, 10,000 claims: same queries at every size" in report
    assert "## Budgets: 3 PASS, 1 MISS" in report
    assert "Not checked in this run: cost growth" in report


def test_the_json_report_keeps_every_sample_and_names_pages_and_modes():
    samples = [sample(1000, "baseline", "-", 1000), sample(1000, "search", "304", 800, 1000)]
    summary = results.summarise(samples)
    queries = {1000: {("search", "304"): 1}}

    data = json.loads(json.dumps(results.to_json(samples, summary, queries, [], {"x": 1})))

    assert data["summary"]["1000"]["pages"]["search / 304"]["ratio"] == pytest.approx(0.8)
    assert data["queries"] == {"1000": {"search / 304": 1}}
    assert data["samples"] == samples


def test_the_chart_is_a_png(tmp_path):
    pytest.importorskip("matplotlib", reason="pip install -r benchmarks/requirements.txt")
    summary = summary_of(
        {
            (size, "claim list", mode): ratio
            for size in (1000, 10000)
            for mode, ratio in [("uncached", 0.05), ("cached", 0.6), ("304", 0.8)]
        }
    )

    results.chart(summary, tmp_path / "chart.png")

    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


@contextlib.contextmanager
def recording_server():
    """A server on loopback answering "ok" to every GET: yields its address and
    the list of the headers of every request it got."""
    seen = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(dict(self.headers))
            with contextlib.suppress(ConnectionError):  # wrk hangs up when its time is up
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/", seen
    finally:
        server.shutdown()
        server.server_close()


needs_wrk = pytest.mark.skipif(
    shutil.which("wrk") is None, reason="needs wrk (apt-get install wrk)"
)


@needs_wrk
@pytest.mark.parametrize(
    ("mode", "extra", "check"),
    [
        # Every request misses the server-side cache: its key includes Accept.
        ("cold", [], lambda seen: len(set(h["Accept"] for h in seen)) == len(seen)),
        ("plain", [], lambda seen: {h.get("Accept") for h in seen} == {None}),
        (
            "conditional",
            ['"abc"'],
            lambda seen: {h.get("If-None-Match") for h in seen} == {'"abc"'},
        ),
    ],
)
def test_the_wrk_script_sends_each_modes_headers(mode, extra, check):
    with recording_server() as (url, seen):
        done = subprocess.run(
            [
                *("wrk", "-t2", "-c2", "-d1s", "-s", ROOT / "benchmarks" / "wrk_report.lua"),
                *(url, "--", mode, *extra),
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )

    assert done.returncode == 0, done.stderr
    assert results.parse_wrk(done.stdout)["requests"] > 10
    assert check(seen)


@needs_wrk
def test_no_uncached_run_asks_what_an_earlier_run_asked():
    """Each uncached run's Accept headers are its own: repeating an earlier run's
    would find its answers in the cache and measure cached pages as uncached."""
    from benchmarks import http_pages

    with recording_server() as (url, seen):
        for _ in range(2):
            http_pages.run_wrk(url, "uncached", 1)

    accepts = [headers["Accept"] for headers in seen]
    assert len(accepts) > 20
    assert len(set(accepts)) == len(accepts)


def reachable(port):
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_the_command_runs_end_to_end_at_a_tiny_size(tmp_path):
    """A quick run (1 s samples) of two pages at 8 claims: gunicorn, wrk, PostgreSQL,
    Redis, and the three reports."""
    missing = [
        what
        for what, ok in [
            ("wrk", shutil.which("wrk")),
            ("gunicorn", shutil.which("gunicorn", path=str(ROOT / ".venv" / "bin"))),
            ("PostgreSQL on 127.0.0.1:5432", reachable(5432)),
            ("Redis on 127.0.0.1:6379", reachable(6379)),
        ]
        if not ok
    ]
    if missing:
        pytest.skip("the HTTP benchmark needs " + ", ".join(missing))
    pytest.importorskip("matplotlib", reason="pip install -r benchmarks/requirements.txt")

    done = subprocess.run(
        [
            *(sys.executable, ROOT / "benchmarks" / "http_pages.py", "--quick", "--sizes", "8"),
            *("--pages", "claim-list", "annotated-article", "--output", tmp_path),
            *("--database-url", "postgres://postgres@127.0.0.1:5432/factcheck_bench_smoke"),
        ],
        capture_output=True,
        text=True,
        timeout=150,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    data = json.loads((tmp_path / "http_pages.json").read_text())
    pages = data["summary"]["8"]["pages"]
    assert sorted(pages) == [
        f"{page} / {mode}"
        for page in ("annotated article", "claim list")
        for mode in ("304", "cached", "uncached")
    ]
    assert all(row["ratio"] > 0 and row["errors"] == 0 for row in pages.values())
    assert data["queries"]["8"]["claim list / 304"] == 1
    assert 0 < data["meta"]["published_claims"]["8"] <= 8  # the data set withdraws a few
    assert "| claim list | 304 |" in (tmp_path / "http_pages.md").read_text()
    assert (tmp_path / "http_pages.png").read_bytes().startswith(b"\x89PNG")
