"""The HTTP benchmark's settings: the product's, plus a trivial baseline view.

Only ``benchmarks/http_pages.py`` uses these (``DJANGO_SETTINGS_MODULE=benchmarks.settings``),
with the production environment it sets (``FACTCHECK_ENV=production``, DEBUG off,
PostgreSQL, Redis). The one difference from the product is the URLconf, which adds
``/bench/hello/`` in front of the product's addresses, and a static folder of its own.
"""

from factcheck.settings import *  # noqa: F403
from factcheck.settings import BASE_DIR

ROOT_URLCONF = "benchmarks.urls"
# collectstatic writes here, not into the developer's staticfiles/.
STATIC_ROOT = BASE_DIR / "benchmarks" / "staticfiles"
