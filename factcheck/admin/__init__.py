"""The editorial desk in the Django admin.

- ``base``: what every tracked model's admin shares (a reason for each change);
- ``history_pages``: the history list's word-level differences and the page
  that compares two versions;
- ``sources``, ``claims``, ``citations``, ``captures``: one module per model;
- ``candidates``: candidate claims per source, accepted or dismissed;
- ``review``: the workflow's step pages, bulk actions and comments;
- ``dashboard``: the desk's front page (counts and "my queue").
"""

from factcheck.admin import (  # noqa: F401  (registers them)
    candidates,
    captures,
    citations,
    claims,
    sources,
)
from factcheck.admin.site import configure_site

configure_site()
