"""Candidate claims: recall and precision on real articles (issue 12, part 2).

    .venv/bin/python benchmarks/candidates.py       # writes benchmarks/results/candidates.md

For each article, the sentences ``factcheck.candidates`` proposes are compared
with the claims curated by hand:

- recall: the share of curated claims whose quote lies inside a proposed candidate;
- precision: the share of proposed candidates that contain at least one curated quote.

Articles: the Belarus news release (its 44 claims in fixtures/belarus_hrw_2020.json)
and the Guardian article kept whole in tests/data/articles/ (its text taken from
the HTML with trafilatura; its claims curated by hand in benchmarks/data/). No
database, no timing: the figures are counts.
"""

import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

from factcheck.candidates.finding import propose  # noqa: E402

BELARUS_FIXTURE = ROOT / "fixtures" / "belarus_hrw_2020.json"
BELARUS_SLUG = "hrw-2020-11-06-belarus-expert-report-torture-inquiry"
GUARDIAN_HTML = ROOT / "tests/data/articles/guardian-2019-01-03-maori-whale-strandings.html"
GUARDIAN_CLAIMS = ROOT / "benchmarks/data/guardian-2019-01-03-maori-whale-strandings.claims.json"
RESULTS = ROOT / "benchmarks" / "results" / "candidates.md"
RECALL_GOAL = 0.9


@dataclass
class Score:
    article: str
    claims: int
    found: int
    candidates: int
    useful: int
    missed: list

    @property
    def recall(self) -> float:
        return self.found / self.claims if self.claims else 0.0

    @property
    def precision(self) -> float:
        return self.useful / self.candidates if self.candidates else 0.0


def spans(text: str, quotes) -> list[tuple[int, int, str]]:
    """Where each curated quote is: ``(quote, start)`` pairs, start optional."""
    found = []
    for quote, start in quotes:
        position = text.find(quote, start or 0) if start is not None else text.find(quote)
        if position == -1:
            raise ValueError(f"Curated quote not in the text: {quote[:60]!r}")
        found.append((position, position + len(quote), quote))
    return found


def score(article: str, text: str, quotes) -> Score:
    """Recall and precision of the proposed candidates of ``text`` on ``quotes``."""
    curated = spans(text, quotes)
    candidates = propose(text)

    def inside(claim, candidate):
        return candidate.start <= claim[0] and claim[1] <= candidate.end

    missed = [claim[2] for claim in curated if not any(inside(claim, c) for c in candidates)]
    useful = sum(1 for c in candidates if any(inside(claim, c) for claim in curated))
    return Score(article, len(curated), len(curated) - len(missed), len(candidates), useful, missed)


def belarus() -> tuple[str, list]:
    objects = json.loads(BELARUS_FIXTURE.read_text(encoding="utf-8"))
    (source,) = (
        o["fields"]
        for o in objects
        if o["model"] == "factcheck.source" and o["fields"]["slug"] == BELARUS_SLUG
    )
    quotes = [
        (o["fields"]["quote"], o["fields"].get("quote_start"))
        for o in objects
        if o["model"] == "factcheck.claim"
    ]
    return source["text"], quotes


def article_text(html: str) -> str:
    """The article's text, as the importer stores it (``factcheck.articles``)."""
    from factcheck.articles.extraction import extract_html

    return extract_html(html).text


def guardian() -> tuple[str, list]:
    text = article_text(GUARDIAN_HTML.read_text(encoding="utf-8"))
    claims = json.loads(GUARDIAN_CLAIMS.read_text(encoding="utf-8"))
    return text, [(claim["quote"], None) for claim in claims]


def report(scores: list[Score]) -> str:
    lines = [
        "# Candidate claims: recall and precision",
        "",
        "Written by `benchmarks/candidates.py`. Recall: the share of claims curated by "
        "hand whose quote lies inside a proposed candidate (goal: 90% or more on the "
        "Belarus article). Precision: the share of proposed candidates that contain a "
        "curated claim.",
        "",
        "| Article | Curated claims | Found | Recall | Candidates | With a claim | Precision |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        lines.append(
            f"| {s.article} | {s.claims} | {s.found} | {s.recall:.1%} | {s.candidates} "
            f"| {s.useful} | {s.precision:.1%} |"
        )
    for s in scores:
        if s.missed:
            lines += ["", f"Missed in {s.article}:", ""]
            lines += [f"- “{quote}”" for quote in s.missed]
    return "\n".join(lines) + "\n"


def main() -> int:
    scores = [score("Belarus (HRW, 6 Nov 2020)", *belarus())]
    scores.append(score("Māori whale strandings (Guardian, 3 Jan 2019)", *guardian()))
    RESULTS.write_text(report(scores), encoding="utf-8")
    sys.stdout.write(report(scores))
    return 0 if scores[0].recall >= RECALL_GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
