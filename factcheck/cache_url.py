"""CACHE_URL: where rendered public answers (and login lock-outs' cache, if any) are kept.

- unset or ``locmem://``: in the process's memory (nothing to install; each app
  server has its own, which stays correct because keys move with the public
  state, see ``factcheck.public.caching``);
- ``redis://host:6379/0`` (or ``rediss://`` for TLS): a Redis shared by every
  app server, with Django's own Redis backend (``factcheck.redis_cache``: one
  client per connection pool);
- ``dummy://``: no cache at all.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "redis": "factcheck.redis_cache.SharedClientRedisCache",
    "rediss": "factcheck.redis_cache.SharedClientRedisCache",
    "dummy": "django.core.cache.backends.dummy.DummyCache",
}
REDIS_TIMEOUT_SECONDS = 1


def parse_cache_url(url: str) -> dict:
    """A ``CACHES`` entry for ``url``; an unknown scheme is refused with the choices."""
    url = (url or "locmem://").strip()
    scheme = urlsplit(url).scheme
    if scheme not in BACKENDS:
        raise ImproperlyConfigured(
            f"CACHE_URL {url!r}: use locmem://, redis://host:port/db, rediss://… or dummy://."
        )
    config = {"BACKEND": BACKENDS[scheme], "KEY_PREFIX": "factcheck"}
    if scheme == "locmem":
        config["LOCATION"] = "factcheck"
        config["OPTIONS"] = {"MAX_ENTRIES": 5000}
    elif scheme in ("redis", "rediss"):
        config["LOCATION"] = url
        # A Redis that stops answering costs a request at most about a second
        # (connecting, or waiting for a reply) before the page is rendered
        # without it (factcheck.public.caching), instead of holding a worker.
        config["OPTIONS"] = {
            "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            "socket_timeout": REDIS_TIMEOUT_SECONDS,
        }
    return config
