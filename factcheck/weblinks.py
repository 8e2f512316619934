"""Web links: only http and https addresses are stored or made into links.

A stored address becomes an ``href`` on the public pages and a link in the
JSON-LD and CSL documents, so a ``javascript:`` or ``data:`` address would run
in a reader's browser. The models refuse anything else (``validate_web_url``
and a database constraint from ``web_url_condition``), and everything that
renders a stored address passes it through ``web_url`` first, for rows stored
before the rule and for addresses frozen in published revisions.
"""

import re
from urllib.parse import urlsplit

from django.core.validators import URLValidator
from django.db import models

WEB_SCHEMES = ("http", "https")
WEB_URL_MESSAGE = "Enter a web address that starts with http:// or https://."

# Browsers drop or skip control characters and spaces inside an address
# ("java\tscript:" runs as "javascript:"), so an address holding any is refused.
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")

validate_web_url = URLValidator(schemes=list(WEB_SCHEMES), message=WEB_URL_MESSAGE)


def is_web_url(value) -> bool:
    """True for an absolute http or https address with a host, and nothing else."""
    if not isinstance(value, str) or _CONTROL_OR_SPACE.search(value):
        return False
    if not value.lower().startswith(tuple(f"{scheme}://" for scheme in WEB_SCHEMES)):
        return False
    try:
        return bool(urlsplit(value).netloc)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return False


def web_url(value) -> str:
    """``value`` if it is a web address, else an empty string (no link)."""
    return value if is_web_url(value) else ""


def web_url_condition(field: str) -> models.Q:
    """The database's version of the rule, for a CheckConstraint: empty, or http(s)."""
    return (
        models.Q(**{field: ""})
        | models.Q(**{f"{field}__istartswith": "http://"})
        | models.Q(**{f"{field}__istartswith": "https://"})
    )


class WebURLField(models.URLField):
    """A URLField that accepts http and https addresses only (Django's accepts ftp too)."""

    default_validators = [validate_web_url]
