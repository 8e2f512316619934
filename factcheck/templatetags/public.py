"""Template helpers for the public pages."""

import json
from html import escape
from itertools import islice

from django import template
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.safestring import mark_safe

from factcheck import weblinks
from factcheck.ratings import Fidelity, Verdict

register = template.Library()

# What json_script escapes, so stored text cannot close the <script> element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(document) -> str:
    """A <script type="application/ld+json"> element; stored text cannot break out of it."""
    body = json.dumps(document, ensure_ascii=False, indent=2).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{body}</script>')


@register.filter
def web_url(value) -> str:
    """A stored address to use as a link: http(s) only, else empty (no link).

    Use it wherever a stored address becomes an ``href`` or ``cite``."""
    return weblinks.web_url(value)


@register.filter
def verdict_label(value) -> str:
    return Verdict(value).label


@register.filter
def fidelity_label(value) -> str:
    return Fidelity(value).label


@register.filter
def verdict_badge(value) -> str:
    """A verdict as every page shows it: its label, styled by its value."""
    verdict = Verdict(value)
    return mark_safe(
        f'<span class="verdict verdict--{verdict.value}">{escape(verdict.label)}</span>'
    )


@register.filter
def fidelity_badge(value) -> str:
    """A fidelity rating as every page shows it: its label, styled by its value."""
    fidelity = Fidelity(value)
    return mark_safe(
        f'<span class="fidelity fidelity--{fidelity.value}">{escape(fidelity.label)}</span>'
    )


@register.filter
def kind_label(value) -> str:
    from factcheck.models import ClaimKind

    return ClaimKind(value).label if value in ClaimKind.values else value


@register.filter
def stance_label(value) -> str:
    from factcheck.models import Stance

    return Stance(value).label if value in Stance.values else value


@register.filter
def isodate(value):
    """A date from its ISO text, as stored in published citations."""
    from datetime import date

    return date.fromisoformat(value) if value else None


@register.filter
def isodatetime(value):
    """A date and time from its ISO text, as published citations record a capture's."""
    from datetime import datetime

    return datetime.fromisoformat(value) if value else None


@register.simple_tag
def select(field, listed=None) -> str:
    """A filter's ``<select>``, as its Django widget would render it, without a
    template per option. ``listed``: at most how many choices to offer after the
    empty one (the newest articles, say; a chosen one is always offered), with
    a note saying where the rest are; None offers them all."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({"name": field.html_name, **widget.attrs, "id": field.auto_id})
    value = field.value()
    chosen = "" if value is None else str(value)
    every = field.field.choices  # the empty choice first
    note = ""
    if listed is None or len(every) <= listed + 1:
        choices = list(every)
    else:
        choices = list(islice(every, listed + 1))
        if chosen and chosen not in {str(key) for key, _ in choices}:  # an older one
            choices += [(key, label) for key, label in every if str(key) == chosen]
        rest = len(every) - 1
        note_id = f"{field.auto_id}_listed"
        attrs["aria-describedby"] = " ".join(filter(None, [attrs.get("aria-describedby"), note_id]))
        note = (
            f'<p class="help" id="{note_id}">Lists the {listed} newest of {rest} articles; '
            f'all of them are on the <a href="{reverse("public:sources")}">Articles</a> page.</p>'
        )
    options = "".join(
        f'<option value="{escape(str(key))}"{" selected" if str(key) == chosen else ""}>'
        f"{escape(str(label))}</option>"
        for key, label in choices
    )
    return mark_safe(f"<select{flatatt(attrs)}>{options}</select>{note}")


_SLUG = "slug-placeholder"


def _fidelity_after_verdict(value) -> str:
    """The fidelity beside a verdict in a list, unless it does not apply."""
    if value == Fidelity.NOT_APPLICABLE:
        return ""
    return f' <span class="fidelity-inline">Fidelity: {fidelity_badge(value)}</span>'


def _address(view_name: str):
    """A function from a slug to the address of ``view_name``: one ``reverse`` per
    page instead of one per row (slugs need no escaping in a path)."""
    pattern = reverse(view_name, args=[_SLUG])
    return lambda slug: pattern.replace(_SLUG, slug)


@register.simple_tag
def claim_items(claims) -> str:
    """The claim list's rows (``<li>``), from claims as ``published()`` gives them.

    Built here rather than in a template loop: /claims/ is the most read page,
    and Python writes these 25 rows several times faster than the template
    language, which matters on every request the cache cannot answer."""
    claim_address, source_address = _address("public:claim"), _address("public:source")
    rows = []
    for claim in claims:
        revision, source = claim.live_revision, claim.source
        fidelity = _fidelity_after_verdict(revision.fidelity)
        published = timezone.localtime(revision.published_at)
        rows.append(
            '<li class="claim-item">'
            f'<h2 class="claim-item__title"><a href="{claim_address(claim.slug)}">'
            f"{escape(revision.statement)}</a></h2>"
            f"{verdict_badge(revision.verdict)}{fidelity}"
            f'<blockquote class="quote-snippet"><p>…{escape(revision.quote_prefix)}'
            f"<mark>{escape(revision.quote)}</mark>{escape(revision.quote_suffix)}…</p></blockquote>"
            f'<p class="meta">{escape(revision.attributed_to)}, in '
            f'<a href="{source_address(source.slug)}#claim-{claim.slug}"><cite>'
            f"{escape(source.title)}</cite></a> · published "
            f'<time datetime="{published.isoformat(timespec="seconds")}">'
            f"{dateformat.format(published, 'j M Y')}</time>"
            f"{' · corrected' if revision.is_correction else ''}</p></li>"
        )
    return mark_safe("\n".join(rows))


def _text(value: str) -> str:
    """Like ``|linebreaksbr``: escaped, each line break a ``<br>``."""
    return escape(value.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


@register.simple_tag
def annotated_paragraph(paragraph) -> str:
    """One paragraph of the annotated article (``factcheck.public.annotated``):
    its text with each claim's words highlighted and linked, and a numbered
    marker where each claim ends. Built in Python, like ``claim_items``: an
    article holds tens of claims and hundreds of segments."""
    address = _address("public:claim")
    parts = []
    for segment in paragraph.segments:
        parts.extend(
            f'<span id="claim-{claim.slug}" class="claim-anchor"></span>'
            for claim in segment.starts
        )
        claim = segment.claim
        if claim is not None:
            parts.append(
                f'<a class="highlight verdict-bg--{claim.live_revision.verdict}" '
                f'href="{address(claim.slug)}"><mark>{_text(segment.text)}</mark></a>'
            )
        else:
            parts.append(_text(segment.text))
        parts.extend(
            f'<sup class="claim-marker"><a href="{address(claim.slug)}" aria-label="Claim '
            f'{claim.number}: {escape(verdict_label(claim.live_revision.verdict))}">'
            f"{claim.number}</a></sup>"
            for claim in segment.ends
        )
    return mark_safe("".join(parts))


@register.simple_tag
def claim_index_items(claims) -> str:
    """The annotated article's numbered list of its claims (``<li>``)."""
    address = _address("public:claim")
    rows = []
    for claim in claims:
        revision = claim.live_revision
        fidelity = _fidelity_after_verdict(revision.fidelity)
        rows.append(
            f'<li value="{claim.number}"><a href="{address(claim.slug)}">'
            f"{escape(revision.statement)}</a> {verdict_badge(revision.verdict)}{fidelity}</li>"
        )
    return mark_safe("\n".join(rows))
