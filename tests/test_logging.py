"""Errors are logged where the platform collects them: standard output."""

import re
import subprocess
import sys
import textwrap

from tests.conftest import ROOT
from tests.test_settings import PRODUCTION, clean_environment

# A production process whose one view fails: what does it print?
FAILING_VIEW = textwrap.dedent(
    """
    import sys, types
    import django
    from django.http import HttpResponse
    from django.urls import path

    django.setup()
    from django.test import Client, override_settings

    def boom(request):
        raise RuntimeError("the view broke")

    def fine(request):
        return HttpResponse("ok")

    urls = types.ModuleType("failing_urls")
    urls.urlpatterns = [path("boom/", boom), path("fine/", fine)]
    sys.modules["failing_urls"] = urls
    with override_settings(ROOT_URLCONF="failing_urls"):
        client = Client(raise_request_exception=False)
        assert client.get("/fine/").status_code == 200
        response = client.get("/boom/")
    print("STATUS", response.status_code, flush=True)
    print("It has been logged" in response.content.decode(), file=sys.stderr)
    """
)


def run_failing_view():
    return subprocess.run(
        [sys.executable, "-c", FAILING_VIEW],
        cwd=ROOT,
        env=clean_environment(
            DJANGO_SETTINGS_MODULE="factcheck.settings",
            SECURE_SSL_REDIRECT="false",
            **{**PRODUCTION, "ALLOWED_HOSTS": "testserver"},
        ),
        capture_output=True,
        text=True,
    )


def test_an_error_in_a_view_is_logged_to_stdout_with_its_traceback():
    result = run_failing_view()

    assert result.returncode == 0, result.stderr
    assert "STATUS 500" in result.stdout
    assert "True" in result.stderr  # the 500 page says it was logged
    # With the request's id, as every line logged while answering a request.
    assert re.search(
        r"ERROR \[[0-9a-f]{32}\] django\.request: Internal Server Error: /boom/", result.stdout
    )
    assert "Traceback (most recent call last):" in result.stdout
    assert "RuntimeError: the view broke" in result.stdout
    assert "/fine/" not in result.stdout  # a good request is not an error
