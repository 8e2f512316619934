"""/health/: whether this app server can reach its database and its cache.

For load balancers and monitoring: 200 with ``{"status": "ok", ...}`` when both
answer, 503 with the failing part named (never the error's details, which are
logged) when either does not. Never cached.
"""

import logging
import uuid

from django.core.cache import caches
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from factcheck.models import PublicState

log = logging.getLogger("factcheck.health")


def _database() -> str:
    PublicState.read()
    return "ok"


def _cache() -> str:
    probe, value = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache = caches["default"]
    cache.set(probe, value, 10)
    try:
        if cache.get(probe) != value:
            raise RuntimeError("the cache did not return what was just stored")
    finally:
        cache.delete(probe)
    return "ok"


@never_cache
@require_safe
def health(request):
    checks = {}
    for name, check in (("database", _database), ("cache", _cache)):
        try:
            checks[name] = check()
        except Exception:  # any failure of the dependency means "not healthy"
            log.exception("health check: the %s is not answering", name)
            checks[name] = "unavailable"
    healthy = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
