"""Error answers: a request too large says which limit it passed; a database that
does not answer is "try again shortly", not a crash.

A form post over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` or with more fields than
``DATA_UPLOAD_MAX_NUMBER_FIELDS`` is refused by Django before any view runs
(``handler400``): the answer says which limit, not just "Bad Request".

Django turns an exception anywhere in a request (a view, the session or
authentication middleware, a template) into a call of ``handler500`` while the
exception is still being handled. When that exception says the database could
not be reached (``OperationalError``, ``InterfaceError``: refused connection,
server restarting, connection dropped mid-request), readers and editors get a
503 page with ``Retry-After`` instead of the generic error page, and load
balancers see that the server is temporarily out of service. Anything else is
still a 500. Neither page touches the database or the request's context.
"""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# Seconds a client should wait before asking again: PostgreSQL restarts in a few.
RETRY_AFTER_SECONDS = 10
UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` (or what caused it) says the database cannot be reached."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, UNAVAILABLE):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def service_unavailable() -> HttpResponseServerError:
    response = HttpResponseServerError(loader.get_template("503.html").render())
    response.status_code = 503
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request):
    """``handler500``: 503 with Retry-After when the database is unreachable, else 500."""
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable()
    return HttpResponseServerError(loader.get_template("500.html").render())


def _too_large_reason(exception) -> tuple[int, str]:
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return 413, (
            f"What was sent is larger than this site accepts in one form ({limit} MB). "
            "Send less text at once, or split the change into several saves."
        )
    if isinstance(exception, TooManyFieldsSent):
        return 400, (
            f"The form sent has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields, "
            "more than this site accepts at once. Change fewer rows per save."
        )
    if isinstance(exception, TooManyFilesSent):
        return 400, "The form sent has more files than this site accepts at once."
    return 400, "The request could not be understood: reload the page and try again."


@requires_csrf_token
def bad_request(request, exception=None):
    """``handler400``: says which limit a too large or malformed request passed."""
    status, reason = _too_large_reason(exception)
    response = HttpResponseBadRequest(loader.get_template("400.html").render({"reason": reason}))
    response.status_code = status
    return response
