"""Bytes or pasted text to a decoded document, HTML or plain text, or a clear refusal."""

import codecs
import re
from dataclasses import dataclass

from django.conf import settings

# Files that are not text, by their first bytes: PDF, ZIP (docx, epub), gzip, PNG,
# JPEG, GIF, WebP/RIFF, OLE (doc, xls).
MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or a Word or EPUB file)",
    b"\x1f\x8b": "a gzip archive",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"RIFF": "a media file",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}
HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S
)
HTML_TAGS = re.compile(r"<(?:p|div|article|h1|h2|br|span|a)\b[^>]*>", re.I)
META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.I)
# Control characters that never occur in text (tab, line feed, carriage return and
# form feed do).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class ReadRefused(ValueError):
    """The input cannot be imported; the message says why, for the person importing."""


@dataclass
class Document:
    text: str  # decoded, newlines as read
    is_html: bool
    size: int  # bytes read


def max_bytes() -> int:
    return settings.ARTICLE_IMPORT_MAX_BYTES


def _limit_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


def _decode(data: bytes) -> str:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise ReadRefused(_undecodable(encoding, error)) from None
    declared = META_CHARSET.search(data[:4096])
    encoding = "utf-8"
    if declared:
        try:
            encoding = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            encoding = "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ReadRefused(_undecodable(encoding, error)) from None


def _undecodable(encoding: str, error: UnicodeDecodeError) -> str:
    return (
        f"The file is not readable as {encoding} text (byte {error.start} is not valid "
        f"{encoding}). Save it as UTF-8 and import it again."
    )


def read(data: bytes | str) -> Document:
    """Decode ``data`` and say whether it is HTML; refuse what cannot be an article."""
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > max_bytes():
        raise ReadRefused(
            f"The file is too large: {_limit_text(size)}; the limit is "
            f"{_limit_text(max_bytes())} (setting ARTICLE_IMPORT_MAX_BYTES)."
        )
    if isinstance(data, bytes):
        for magic, what in MAGIC.items():
            if data.startswith(magic):
                raise ReadRefused(
                    f"The file is {what}, not an HTML page or a text file. "
                    "Save the article as a web page (HTML) or as text."
                )
        if b"\x00" in data[:8192] and not data.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        ):
            raise ReadRefused(
                "The file is binary (it contains NUL bytes), not an HTML page or a text file."
            )
        text = _decode(data)
    else:
        text = data
    if not text.strip():
        raise ReadRefused("The file is empty: there is no text to import.")
    controls = len(CONTROL.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 100):
        raise ReadRefused(
            "The file is binary (it is full of control characters), not an HTML page or a "
            "text file."
        )
    is_html = bool(HTML_START.match(text)) or len(HTML_TAGS.findall(text[:65536])) >= 3
    return Document(text=text, is_html=is_html, size=size)
