"""The main text and metadata of an HTML page, with trafilatura.

``extract_html(data, url="")`` returns an ``Extraction``: the article's text
(paragraphs separated by blank lines) and what the page itself states about it
(title, byline, publisher, date, language, canonical URL). A field the page
does not state is left empty: nothing is guessed from the URL or the text.

Why trafilatura: see README, "Importing an article".
"""

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from htmldate import find_date
from lxml import etree

LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
SPACES = re.compile(r"[ \t\r\f\v]+")
# htmldate (trafilatura's date finder) also reads a date out of the page's URL
# (/2016/02/01/) and, in its extensive search, out of any text: neither is a
# date the page states. Only its markup is read (meta tags, JSON-LD, <time>).
DATE_PARAMS = {"extensive_search": False, "original_date": True, "url": ""}


@dataclass
class Extraction:
    text: str = ""
    title: str = ""
    byline: str = ""
    publisher: str = ""
    published_on: date | None = None
    language: str = ""
    url: str = ""
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        values = asdict(self)
        values["published_on"] = self.published_on.isoformat() if self.published_on else None
        return values


def _clean(text: str) -> str:
    lines = [SPACES.sub(" ", line).strip() for line in (text or "").split("\n")]
    return "\n".join(line for line in lines if line)


def _element_text(element) -> str:
    """An element's text with its <lb/> line breaks, spaces tidied."""
    for lb in element.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    return _clean("".join(element.itertext()))


def _paragraphs(body) -> list[str]:
    # trafilatura leaves some text loose in its body, as the tail of the element
    # before it (a paragraph after a heading): it is a paragraph too.
    blocks = [text] if (text := _clean(body.text or "")) else []
    for child in body:
        if child.tag == "list":
            items = [_element_text(item) for item in child if item.tag == "item"]
            blocks.extend(item for item in items if item)
        elif child.tag == "table":
            rows = []
            for row in child.iter("row"):
                cells = [_element_text(cell) for cell in row if cell.tag == "cell"]
                if any(cells):
                    rows.append(" | ".join(cells))
            if rows:
                blocks.append("\n".join(rows))
        else:
            text = _element_text(child)
            if text:
                blocks.append(text)
        if tail := _clean(child.tail or ""):
            blocks.append(tail)
    return blocks


def _html_language(tree) -> str:
    if tree is None:
        return ""
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    tag = (root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip()
    return tag if LANGUAGE_TAG.match(tag) else ""


def _stated_publisher(tree, sitename: str, url: str) -> str:
    """trafilatura falls back on the host name for the site name; that is not stated."""
    if not sitename:
        return ""
    host = urlsplit(url).hostname or "" if url else ""
    bare = sitename.lower().removeprefix("www.")
    if host and bare == host.lower().removeprefix("www."):
        return ""
    return sitename


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _headline(title: str, byline: str) -> str:
    """Pages often add the author to their title for sharing ("Headline | Author"):
    the headline is what the page states without it."""
    for separator in (" | ", " - ", " – ", " — "):
        if byline and title.endswith(separator + byline):
            return title.removesuffix(separator + byline).strip()
    return title


def _web_url(value: str | None) -> str:
    value = (value or "").strip()
    return value if urlsplit(value).scheme in ("http", "https") and len(value) <= 500 else ""


def _canonical_link(tree) -> str:
    """The page's own ``<link rel="canonical">``: its canonical URL, as it states it.
    trafilatura reads og:url first (http where the canonical link is https, on the
    Guardian's page) and nothing at all on some pages that state one (BBC)."""
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            return _web_url(link.get("href"))
    return ""


def extract_html(data: bytes | str, *, url: str = "") -> Extraction:
    """The article in an HTML page: its text and stated metadata (empty when unstated)."""
    result = Extraction()
    if not data or not (data.strip() if isinstance(data, (bytes, str)) else data):
        result.warnings.append("The page is empty.")
        return result
    try:
        tree = trafilatura.load_html(data)
    except (ValueError, etree.ParserError):
        tree = None
    if tree is None:
        result.warnings.append("The page could not be parsed as HTML.")
        return result
    language = _html_language(tree)
    canonical = _canonical_link(tree)
    # Read before trafilatura, which cleans the tree it is given.
    published_on = _parse_date(find_date(tree, **DATE_PARAMS))
    document = trafilatura.bare_extraction(
        tree,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_formatting=False,
        date_extraction_params=DATE_PARAMS,
    )
    if document is None or document.body is None:
        result.warnings.append("No article text was found in the page.")
        result.language = language
        return result
    result.text = "\n\n".join(_paragraphs(document.body))
    result.byline = _clean(document.author or "").replace("\n", " ")
    result.title = _headline(_clean(document.title or "").replace("\n", " "), result.byline)
    result.url = canonical or _web_url(document.url) or _web_url(url)
    result.publisher = _stated_publisher(tree, _clean(document.sitename or ""), result.url)
    result.published_on = published_on
    result.language = language
    if not result.text:
        result.warnings.append("No article text was found in the page.")
    if not result.title:
        result.warnings.append("The page states no title.")
    if not result.published_on:
        result.warnings.append("The page states no publication date.")
    return result


def page_text(data: bytes | str) -> str:
    """All the visible text of a page, for a last-resort check (no extraction)."""
    try:
        return _clean(lxml.html.fromstring(data).text_content())
    except (ValueError, etree.ParserError):
        return ""
