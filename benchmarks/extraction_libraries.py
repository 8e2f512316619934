"""Quick comparison of trafilatura and readability-lxml on Mozilla Readability's test pages.

Not the formal benchmark (that is ``benchmarks/extraction.py``): the figures
quoted in README, "Importing an article", as a check of our own on real news
pages. Each page's reference is the text of Readability.js's ``expected.html``
(so the reference favours readability); the score is bag-of-words F1 over
lowercase word tokens.

    # a checkout of the public repository mozilla/readability (commit ab4027a8b376 was used)
    pip install readability-lxml==0.9   # not pinned: pip cannot resolve it beside
                                         # jusText (both ask for lxml[html_clean])
    python benchmarks/extraction_libraries.py path/to/readability
"""

import collections
import re
import sys
from pathlib import Path

import lxml.html
import trafilatura
from readability import Document

PAGES = [
    "bbc-1",
    "cnn",
    "guardian-1",
    "nytimes-1",
    "nytimes-2",
    "nytimes-3",
    "nytimes-4",
    "nytimes-5",
    "wapo-1",
    "wapo-2",
    "seattletimes-1",
    "herald-sun-1",
    "telegraph",
    "yahoo-1",
    "yahoo-2",
    "lemonde-1",
    "liberation-1",
    "breitbart",
    "msn",
    "folha",
    "la-nacion",
    "heise",
    "aktualne",
    "salon-1",
    "tmz-1",
    "buzzfeed-1",
    "aclu",
]


def tokens(text: str) -> collections.Counter:
    return collections.Counter(re.findall(r"\w+", text.lower()))


def f1(predicted: str, reference: str) -> float:
    p, r = tokens(predicted), tokens(reference)
    common = sum((p & r).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(r.values())
    return 2 * precision * recall / (precision + recall)


def main(checkout: str) -> None:
    root = Path(checkout) / "test" / "test-pages"
    scores = collections.defaultdict(list)
    for name in PAGES:
        source = (root / name / "source.html").read_bytes().decode("utf-8", "replace")
        expected = (root / name / "expected.html").read_bytes()
        reference = lxml.html.fromstring(expected).text_content()
        ours = trafilatura.extract(source, include_comments=False, include_tables=True) or ""
        theirs = lxml.html.fromstring(Document(source).summary()).text_content()
        scores["trafilatura"].append(f1(ours, reference))
        scores["readability-lxml"].append(f1(theirs, reference))
        print(
            f"{name:16} trafilatura {scores['trafilatura'][-1]:.2f}  "
            f"readability-lxml {scores['readability-lxml'][-1]:.2f}"
        )
    for library, values in scores.items():
        print(f"{library}: mean F1 {sum(values) / len(values):.3f} on {len(values)} pages")


if __name__ == "__main__":
    main(sys.argv[1])
