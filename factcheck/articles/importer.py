"""Import an article: preview what would be stored, then store it in one transaction.

``prepare(data, ...)`` reads a file (bytes) or pasted text, extracts the article
(HTML: ``extraction``; plain text: ``boundaries``) and returns a ``Draft``:
the text, its SHA-256, the metadata, the warnings, and the source it duplicates
if that text is stored already. Nothing is written.

``save(draft, user=..., reason=..., **metadata)`` creates the ``Source`` and its
``ArticleImport`` record, with history (who and why), in one transaction, then
calls ``after_import(source, user)`` inside it. The same text twice is refused
with ``AlreadyImported``: checked first, and guarded by the database (the
import record's SHA-256 is unique), so a double submit stores one source.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import normalize_newlines, slugify

from factcheck.articles import boundaries, reading
from factcheck.articles.extraction import Extraction, extract_html
from factcheck.articles.reading import ReadRefused
from factcheck.models import ArticleImport, Source, SourceKind

IMPORT_KINDS = (SourceKind.NEWS_ARTICLE, SourceKind.NEWS_RELEASE, SourceKind.WEB_PAGE)
# Fewer words than this is a menu or a fragment, not an article.
MIN_WORDS = 15
EDITABLE = ("title", "url", "publisher", "byline", "language", "published_on", "retrieved_on")


class ImportRefused(ValueError):
    """Nothing was stored; the message says why."""


class AlreadyImported(ImportRefused):
    def __init__(self, source: Source):
        self.source = source
        super().__init__(
            f"This text is already imported as “{source.title}” (source {source.slug}); "
            "nothing was stored."
        )


@dataclass
class Draft:
    """What an import would store, before anything is stored."""

    text: str
    text_sha256: str
    file_sha256: str
    input_kind: str  # ArticleImport.Input
    metadata: dict
    file_name: str = ""
    warnings: list[str] = field(default_factory=list)
    proposal: boundaries.Proposal | None = None
    duplicate: Source | None = None

    @property
    def start(self):
        return self.proposal.start if self.proposal else None

    @property
    def end(self):
        return self.proposal.end if self.proposal else None

    def as_dict(self) -> dict:
        values = {
            name: (value.isoformat() if isinstance(value, date) else value)
            for name, value in self.metadata.items()
        }
        return {
            "input": self.input_kind,
            "file_name": self.file_name,
            "file_sha256": self.file_sha256,
            **values,
            "text_sha256": self.text_sha256,
            "characters": len(self.text),
            "paragraphs": len(self.text.split("\n\n")) if self.text else 0,
            "start": self.start,
            "end": self.end,
            "warnings": self.warnings,
            "already_imported_as": self.duplicate.slug if self.duplicate else None,
            "text": self.text,
        }


def _file_digest(data: bytes | str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def prepare(
    data: bytes | str,
    *,
    file_name: str = "",
    url: str = "",
    start: int | None = None,
    end: int | None = None,
    progress=None,
) -> Draft:
    """What importing ``data`` would store. Raises ``ImportRefused``; writes nothing."""
    say = progress or (lambda message: None)
    try:
        document = reading.read(data)
    except ReadRefused as error:
        raise ImportRefused(str(error)) from None
    say(f"Read {document.size:,} bytes ({'HTML' if document.is_html else 'plain text'}).")
    proposal = None
    if document.is_html:
        if start is not None or end is not None:
            raise ImportRefused("Start and end apply to plain text only, not to an HTML page.")
        say("Extracting the article's main text and metadata…")
        extraction = extract_html(document.text, url=url)
        input_kind = ArticleImport.Input.HTML
        words = len(extraction.text.split())
        if words < MIN_WORDS:
            found = f"only {words} word(s) found" if words else "no text found"
            extraction.warnings.insert(0, found[0].upper() + found[1:] + ".")
            raise ImportRefused(
                "No article text could be extracted from this page"
                + (f" ({' '.join(extraction.warnings)})" if extraction.warnings else ".")
            )
    else:
        say("Finding where the article starts and ends…")
        text = normalize_newlines(document.text)
        if start is not None and end is not None and end <= start:
            raise ImportRefused(f"The end ({end}) must come after the start ({start}).")
        proposal = boundaries.propose(text, start=start, end=end)
        extraction = Extraction(text=proposal.text, title=proposal.headline, url=url, warnings=[])
        input_kind = ArticleImport.Input.TEXT
        if not extraction.text.strip():
            raise ImportRefused(
                "No article text was found in this text: " + " ".join(proposal.reasons)
            )
        extraction.warnings.append(
            "Plain text states no publisher, author, date or language: fill them in from the page."
        )
    text = normalize_newlines(extraction.text)
    digest = Source.digest(text)
    metadata = {
        "kind": SourceKind.NEWS_ARTICLE.value,
        "title": extraction.title[:300],
        "url": extraction.url,
        "publisher": extraction.publisher[:200],
        "byline": extraction.byline[:300],
        "language": extraction.language[:35],
        "published_on": extraction.published_on,
        "retrieved_on": None,
    }
    duplicate = Source.objects.filter(text_sha256=digest).order_by("pk").first()
    say(f"Extracted {len(text):,} characters; SHA-256 {digest[:12]}….")
    return Draft(
        text=text,
        text_sha256=digest,
        file_sha256=_file_digest(data),
        input_kind=input_kind,
        metadata=metadata,
        file_name=file_name,
        warnings=list(extraction.warnings),
        proposal=proposal,
        duplicate=duplicate,
    )


def _unique_slug(title: str, digest: str) -> str:
    base = slugify(title)[:100].strip("-") or "article"
    slug = base
    if Source.objects.filter(slug=slug).exists():
        slug = f"{base}-{digest[:8]}"
    return slug


def _notes(draft: Draft, user, now) -> str:
    who = user.get_username() if user is not None else "a command"
    how = (
        "an HTML page; main text and metadata extracted with trafilatura (metadata only "
        "as the page states it)"
        if draft.input_kind == ArticleImport.Input.HTML
        else f"a plain-text capture; article taken from characters {draft.start} to "
        f"{draft.end} of the capture, site chrome inside left out, paragraphs separated by "
        "blank lines"
    )
    name = f" “{draft.file_name}”" if draft.file_name else ""
    return (
        f"Imported on {now:%Y-%m-%d} by {who} from{name} {how}. "
        f"SHA-256 of the file as read: {draft.file_sha256}."
    )


def save(draft: Draft, *, user=None, reason: str, after_import=None, **metadata) -> Source:
    """Store ``draft`` as a new Source (with ``metadata`` edits), all or nothing."""
    if not reason or not reason.strip():
        raise ImportRefused("Say why this article is imported (the reason for its history).")
    unknown = set(metadata) - {*EDITABLE, "kind"}
    if unknown:
        raise ImportRefused(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    values = {**draft.metadata, **metadata}
    if values["kind"] not in IMPORT_KINDS:
        raise ImportRefused(f"Kind must be one of {', '.join(str(k.value) for k in IMPORT_KINDS)}.")
    if not (values.get("title") or "").strip():
        raise ImportRefused("The article needs a title.")
    now = timezone.now()
    try:
        with transaction.atomic():
            existing = Source.objects.filter(text_sha256=draft.text_sha256).order_by("pk").first()
            if existing is not None:
                raise AlreadyImported(existing)
            source = Source(
                slug=_unique_slug(values["title"], draft.text_sha256),
                text=draft.text,
                notes=_notes(draft, user, now),
                **values,
            )
            try:
                source.full_clean(exclude=["text_sha256"])
            except ValidationError as error:
                problems = [
                    f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
                ]
                raise ImportRefused("Nothing was stored: " + "; ".join(problems)) from None
            source._change_reason = reason.strip()
            if user is not None:
                source._history_user = user
            source.save()
            record = ArticleImport(
                source=source,
                text_sha256=source.text_sha256,
                file_sha256=draft.file_sha256,
                file_name=draft.file_name[:255],
                input_kind=draft.input_kind,
                start=draft.start,
                end=draft.end,
                imported_by=user,
            )
            record._change_reason = reason.strip()
            if user is not None:
                record._history_user = user
            with transaction.atomic():  # a savepoint: the unique SHA-256 may refuse it
                record.save()
            if after_import is not None:
                after_import(source, user)
    except IntegrityError:
        existing = Source.objects.filter(text_sha256=draft.text_sha256).order_by("pk").first()
        if existing is None:
            raise
        raise AlreadyImported(existing) from None
    return source
