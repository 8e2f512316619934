"""Template helpers for the public pages."""

import json

from django import template
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
