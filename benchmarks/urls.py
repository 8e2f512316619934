"""The product's addresses plus the benchmark's baseline: a view that does nothing.

``/bench/hello/`` goes through the same server, middleware stack and database
connection set-up as every page, and renders nothing, reads nothing: the
framework's ceiling on this machine, against which each page is measured.
Never part of the product's URLconf.
"""

from django.http import HttpResponse
from django.urls import include, path


def hello(request):
    return HttpResponse(b"hello", content_type="text/plain")


urlpatterns = [
    path("bench/hello/", hello, name="bench-hello"),
    path("", include("factcheck.urls")),
]

handler403 = "factcheck.admin.site.permission_denied"
