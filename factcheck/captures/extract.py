"""The text of a capture: what a reader of the page sees, or a PDF's text layer."""

import io

import lxml.html
from lxml import etree

HTML_TYPES = {"text/html", "application/xhtml+xml"}
PDF_TYPES = {"application/pdf"}
TEXT_TYPES = {"text/plain"}
ACCEPTED_TYPES = HTML_TYPES | PDF_TYPES | TEXT_TYPES

# Elements whose content a reader never sees as text.
_INVISIBLE = ["script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object"]
# Elements that start a new line: their text is never run into the next element's.
_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul", "caption",
}  # fmt: skip


class ExtractionFailed(ValueError):
    """The file cannot be read as the type it claims to be."""


def media_type(content_type: str) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def charset(content_type: str) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return None


def extract_text(payload: bytes, content_type: str) -> str:
    kind = media_type(content_type)
    if kind in HTML_TYPES:
        return html_text(payload, charset(content_type))
    if kind in PDF_TYPES:
        return pdf_text(payload)
    if kind in TEXT_TYPES:
        return plain_text(payload, charset(content_type))
    raise ExtractionFailed(
        f"Cannot read text from {kind or 'an unknown type'}: captures are HTML, PDF or plain text."
    )


def plain_text(payload: bytes, encoding: str | None = None) -> str:
    try:
        return payload.decode(encoding or "utf-8")
    except (UnicodeDecodeError, LookupError) as error:
        raise ExtractionFailed(f"The text file is not valid {encoding or 'UTF-8'}.") from error


def html_text(payload: bytes, encoding: str | None = None) -> str:
    """Visible text: scripts, styles and the head dropped, block elements on their own lines."""
    if not payload.strip():
        raise ExtractionFailed("The HTML file is empty.")
    parser = lxml.html.HTMLParser(encoding=encoding, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(payload, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise ExtractionFailed(f"The HTML file cannot be parsed: {error}") from error
    for element in list(root.iter(*_INVISIBLE)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n" + (element.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def pdf_text(payload: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(payload))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise ExtractionFailed(f"The PDF cannot be read: {error}") from error
    return "\n\n".join(pages)
