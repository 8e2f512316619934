"""Every request gets an id, shown in each log line it causes and in its answer.

A reverse proxy may pass its own (``X-Request-ID``: letters, digits, ``-``,
``_``, ``.``, up to 64); otherwise a new one is made. The answer carries it in
``X-Request-ID``, so a reader's report of an error can be matched to the log.
Lines logged outside any request say ``-``.
"""

import logging
import re
import uuid
from contextvars import ContextVar

_current: ContextVar[str] = ContextVar("factcheck_request_id", default="-")
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{1,64}")


def current() -> str:
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _ACCEPTED.fullmatch(given) else uuid.uuid4().hex
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every log record, for the formatter."""

    def filter(self, record):
        record.request_id = _current.get()
        return True
