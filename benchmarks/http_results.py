"""The HTTP benchmark's arithmetic and its report: no server, no database.

``benchmarks/http_pages.py`` measures; this module reads wrk's output, turns the
samples into medians and ratios to the baseline, checks the budgets of issue 11
and writes the markdown table, the JSON and the chart.

A sample is one wrk run of one page in one mode, taken right after a run of the
baseline (the trivial view on the same server); its ratio is its requests per
second divided by that baseline's. A page's ratio at a size is the median of its
samples' ratios; its cost is the inverse (how many baseline requests one request
of the page is worth), so growth with data size is a ratio of costs.
"""

import json
import statistics

MARKER = "wrk-json "
MODES = ("uncached", "cached", "304")

# The budgets (issue 11). Never loosen them; a miss is reported with its numbers.
CACHED_MIN_RATIO = 0.7
UNCACHED_MIN_RATIO = 0.15
UNCACHED_BUDGET_SIZE = 10_000
UNCACHED_BUDGET_PAGES = ("claim list", "search", "claim page", "annotated article")
GROWTH_FROM, GROWTH_TO, GROWTH_MAX = 1_000, 100_000, 1.5


class WrkOutputError(ValueError):
    """wrk's output has no report line (wrk failed, or the script was not loaded)."""


def parse_wrk(stdout: str) -> dict:
    """The report line printed by ``wrk_report.lua``: requests per second, p50 and
    p99 latency in milliseconds, and the number of failed requests."""
    lines = [line for line in stdout.splitlines() if line.startswith(MARKER)]
    if not lines:
        raise WrkOutputError(f"no {MARKER.strip()!r} line in wrk's output:\n{stdout[-2000:]}")
    raw = json.loads(lines[-1][len(MARKER) :])
    seconds = raw["duration_us"] / 1e6
    if seconds <= 0:
        raise WrkOutputError(f"wrk ran for {raw['duration_us']} µs")
    return {
        "requests": raw["requests"],
        "rps": raw["requests"] / seconds,
        "p50_ms": raw["latency_us"]["p50"] / 1000,
        "p99_ms": raw["latency_us"]["p99"] / 1000,
        "errors": sum(raw["errors"].values()),
    }


def summarise(samples: list[dict]) -> dict:
    """Medians per size: ``{size: {"baseline": {...}, "pages": {(page, mode): {...}}}}``.

    ``samples`` are dicts with size, page, mode, rps, p50_ms, p99_ms, errors and,
    for pages, ``baseline_rps`` (the baseline run just before)."""
    by_size: dict[int, dict] = {}
    for sample in samples:
        size = by_size.setdefault(sample["size"], {"baseline": [], "pages": {}})
        if sample["page"] == "baseline":
            size["baseline"].append(sample)
        else:
            size["pages"].setdefault((sample["page"], sample["mode"]), []).append(sample)

    def medians(group, with_ratio):
        row = {
            "runs": len(group),
            "rps": statistics.median(s["rps"] for s in group),
            "p50_ms": statistics.median(s["p50_ms"] for s in group),
            "p99_ms": statistics.median(s["p99_ms"] for s in group),
            "errors": sum(s["errors"] for s in group),
        }
        if with_ratio:
            row["ratio"] = statistics.median(s["rps"] / s["baseline_rps"] for s in group)
        return row

    return {
        size: {
            "baseline": medians(groups["baseline"], False),
            "pages": {key: medians(group, True) for key, group in groups["pages"].items()},
        }
        for size, groups in sorted(by_size.items())
    }


def growth(summary: dict, page: str, mode: str, small: int, large: int) -> float:
    """How many times more a page costs at ``large`` than at ``small`` (cost = 1 / ratio)."""
    return (
        summary[small]["pages"][(page, mode)]["ratio"]
        / summary[large]["pages"][(page, mode)]["ratio"]
    )


def check_budgets(summary: dict, queries: dict) -> list[dict]:
    """Every budget that the measured sizes let us check, each PASS or MISS.

    ``queries`` is ``{size: {(page, mode): count}}``, counted in process."""
    checks = []

    def check(budget, page, mode, size, value, limit, passed):
        checks.append(
            {
                "budget": budget,
                "page": page,
                "mode": mode,
                "size": size,
                "value": value,
                "limit": limit,
                "passed": passed,
            }
        )

    sizes = sorted(summary)
    for size in sizes:
        for (page, mode), row in summary[size]["pages"].items():
            if row["errors"]:
                check("no failed request", page, mode, size, row["errors"], 0, False)
            if mode in ("cached", "304"):
                check(
                    f"ratio >= {CACHED_MIN_RATIO}",
                    page,
                    mode,
                    size,
                    row["ratio"],
                    CACHED_MIN_RATIO,
                    row["ratio"] >= CACHED_MIN_RATIO,
                )
            elif size == UNCACHED_BUDGET_SIZE and page in UNCACHED_BUDGET_PAGES:
                check(
                    f"ratio >= {UNCACHED_MIN_RATIO}",
                    page,
                    mode,
                    size,
                    row["ratio"],
                    UNCACHED_MIN_RATIO,
                    row["ratio"] >= UNCACHED_MIN_RATIO,
                )
    if GROWTH_FROM in summary and GROWTH_TO in summary:
        for page, mode in summary[GROWTH_TO]["pages"]:
            if (page, mode) in summary[GROWTH_FROM]["pages"]:
                value = growth(summary, page, mode, GROWTH_FROM, GROWTH_TO)
                check(
                    f"cost at {GROWTH_TO:,} <= {GROWTH_MAX}x cost at {GROWTH_FROM:,}",
                    page,
                    mode,
                    GROWTH_TO,
                    value,
                    GROWTH_MAX,
                    value <= GROWTH_MAX,
                )
    counted = sorted(queries)
    if len(counted) > 1:
        keys = set().union(*(queries[size] for size in counted))
        for page, mode in sorted(keys):
            counts = [queries[size].get((page, mode)) for size in counted]
            check(
                "same queries at every size",
                page,
                mode,
                counted[-1],
                counts,
                counts[0],
                len(set(counts)) == 1,
            )
    return checks


def _ratio(value: float) -> str:
    return f"{value:.3f}" if value < 1 else f"{value:.2f}"


def _check_line(c: dict) -> str:
    verdict = "PASS" if c["passed"] else "MISS"
    if isinstance(c["value"], list):
        value = "queries " + " / ".join(str(v) for v in c["value"])
    elif c["budget"].startswith("no failed"):
        value = f"{c['value']} failed requests"
    elif c["budget"].startswith("cost"):
        value = f"{c['value']:.2f}x"
        if not c["passed"]:
            value += f" ({c['value'] / c['limit']:.2f}x over the budget)"
    else:
        value = _ratio(c["value"])
        if not c["passed"]:
            value += f" ({c['limit'] / c['value']:.1f}x short)"
    return f"- {verdict}: {c['page']}, {c['mode']}, {c['size']:,} claims: {c['budget']}: {value}"


def markdown(summary: dict, queries: dict, checks: list[dict], meta: dict) -> str:
    """The report: one table across sizes (ratios), one per size (req/s, latency,
    queries), and every budget as PASS or MISS."""
    sizes = sorted(summary)
    keys = list(dict.fromkeys(key for size in sizes for key in summary[size]["pages"]))
    out = [
        "# Public pages over HTTP: each page as a ratio to a trivial view",
        "",
        f"{meta['description']}",
        "",
        "Ratio = the page's requests per second / the trivial view's, on the same server, "
        "measured just before it (1.0: as fast as a view that does nothing). Higher is "
        "better. Medians over the runs. *uncached*: every request misses the server-side "
        "cache and renders; *cached*: the rendered answer comes from the cache; "
        "*304*: a conditional request (If-None-Match) answered Not Modified.",
        "",
        "| page | mode | " + " | ".join(f"ratio at {size:,}" for size in sizes) + " |",
        "|---|---|" + "---:|" * len(sizes),
    ]
    out.append(
        "| trivial view | req/s | "
        + " | ".join(f"{summary[size]['baseline']['rps']:,.0f}" for size in sizes)
        + " |"
    )
    for page, mode in keys:
        cells = [
            _ratio(summary[size]["pages"][(page, mode)]["ratio"])
            if (page, mode) in summary[size]["pages"]
            else "–"
            for size in sizes
        ]
        out.append(f"| {page} | {mode} | " + " | ".join(cells) + " |")
    for size in sizes:
        base = summary[size]["baseline"]
        out += [
            "",
            f"## {size:,} claims",
            "",
            "| page | mode | req/s | ratio | p50 ms | p99 ms | queries | failed |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
            f"| trivial view | – | {base['rps']:,.0f} | 1 | {base['p50_ms']:.2f} "
            f"| {base['p99_ms']:.2f} | – | {base['errors']} |",
        ]
        for (page, mode), row in summary[size]["pages"].items():
            count = queries.get(size, {}).get((page, mode), "–")
            out.append(
                f"| {page} | {mode} | {row['rps']:,.1f} | {_ratio(row['ratio'])} "
                f"| {row['p50_ms']:.2f} | {row['p99_ms']:.2f} | {count} | {row['errors']} |"
            )
    missed = [c for c in checks if not c["passed"]]
    out += [
        "",
        f"## Budgets: {len(checks) - len(missed)} PASS, {len(missed)} MISS",
        "",
        *(_check_line(c) for c in checks),
    ]
    unchecked = []
    if not (GROWTH_FROM in summary and GROWTH_TO in summary):
        unchecked.append(f"cost growth (needs {GROWTH_FROM:,} and {GROWTH_TO:,} claims in one run)")
    if UNCACHED_BUDGET_SIZE not in summary:
        unchecked.append(f"uncached ratios (checked at {UNCACHED_BUDGET_SIZE:,} claims)")
    if unchecked:
        out += ["", "Not checked in this run: " + "; ".join(unchecked) + "."]
    return "\n".join(out) + "\n"


def to_json(samples: list[dict], summary: dict, queries: dict, checks: list[dict], meta: dict):
    """Everything measured, as JSON-ready data (tuple keys become "page / mode")."""

    def flat(mapping):
        return {f"{page} / {mode}": value for (page, mode), value in mapping.items()}

    return {
        "meta": meta,
        "summary": {
            str(size): {"baseline": data["baseline"], "pages": flat(data["pages"])}
            for size, data in summary.items()
        },
        "queries": {str(size): flat(counts) for size, counts in queries.items()},
        "checks": checks,
        "samples": samples,
    }


def chart(summary: dict, path) -> None:
    """A PNG: each page's cost (1 / ratio to the trivial view) against the number of
    claims, one panel per mode, with the budget's line on the cached panels."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    plain = FuncFormatter(lambda value, _: f"{value:g}")

    sizes = sorted(summary)
    fig, axes = plt.subplots(1, len(MODES), figsize=(15, 4.8), constrained_layout=True)
    for axis, mode in zip(axes, MODES, strict=True):
        pages = list(dict.fromkeys(p for s in sizes for p, m in summary[s]["pages"] if m == mode))
        for page in pages:
            points = [
                (size, 1 / summary[size]["pages"][(page, mode)]["ratio"])
                for size in sizes
                if (page, mode) in summary[size]["pages"]
            ]
            axis.plot(*zip(*points, strict=True), marker="o", label=page)
        if mode in ("cached", "304"):
            axis.axhline(1 / CACHED_MIN_RATIO, color="grey", linestyle="--", label="budget")
        else:
            axis.axhline(
                1 / UNCACHED_MIN_RATIO,
                color="grey",
                linestyle="--",
                label=f"budget at {UNCACHED_BUDGET_SIZE:,}",
            )
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xticks(sizes, [f"{size:,}" for size in sizes])
        axis.xaxis.set_minor_formatter(FuncFormatter(lambda *_: ""))
        axis.yaxis.set_major_formatter(plain)
        axis.yaxis.set_minor_formatter(plain)
        axis.set_title(f"{mode}")
        axis.set_xlabel("published claims")
        axis.set_ylabel("cost: trivial-view requests per request")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize="small")
    fig.suptitle("Public pages over HTTP: cost against data size (lower is better)")
    fig.savefig(path, dpi=110)
    plt.close(fig)
