"""A capture stored as WARC (ISO 28500): one gzipped "response" record (or "resource"
for an upload), so that it opens in standard web-archive tools (pywb, replayweb.page).
The record carries the payload's SHA-256 as its WARC-Payload-Digest."""

import hashlib
import io
from datetime import datetime

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def sha256(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def build(
    *,
    url: str,
    payload: bytes,
    content_type: str,
    captured_at: datetime,
    status: int | None = None,
    http_headers: list[tuple[str, str]] | None = None,
) -> bytes:
    """A WARC file: a "response" record with the HTTP status and headers when the page
    was fetched, a "resource" record (the bytes alone) when it was uploaded."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    warc_headers = {
        "WARC-Date": captured_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "WARC-Payload-Digest": f"sha256:{sha256(payload)}",
    }
    if status is not None:
        headers = [(k, v) for k, v in (http_headers or []) if k.lower() != "content-length"]
        if not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("Content-Type", content_type))
        headers.append(("Content-Length", str(len(payload))))
        http = StatusAndHeaders(f"{status}", headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(payload),
            length=len(payload),
            http_headers=http,
            warc_headers_dict=warc_headers,
        )
    else:
        record = writer.create_warc_record(
            url,
            "resource",
            payload=io.BytesIO(payload),
            length=len(payload),
            warc_content_type=content_type,
            warc_headers_dict=warc_headers,
        )
    writer.write_record(record)
    return out.getvalue()


def read_payload(warc_bytes) -> bytes:
    """The payload of the first response or resource record (``warc_bytes``: bytes or a file)."""
    stream = io.BytesIO(warc_bytes) if isinstance(warc_bytes, bytes) else warc_bytes
    for record in ArchiveIterator(stream):
        if record.rec_type in ("response", "resource"):
            return record.content_stream().read()
    raise ValueError("The WARC file holds no response or resource record.")
