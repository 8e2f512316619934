"""Server errors: a database that does not answer is "try again shortly", not a crash.

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

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError
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
