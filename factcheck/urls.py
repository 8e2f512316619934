from django.contrib import admin
from django.urls import include, path

from factcheck.health import health
from factcheck.public.urls import api_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    path("health/", health, name="health"),
    path("", include("factcheck.public.urls")),
]

# A refusal says why (e.g. "Your role does not allow this step (publish).").
handler403 = "factcheck.admin.site.permission_denied"
# The database unreachable (restart, network): 503 with Retry-After, not a crash.
handler500 = "factcheck.errors.server_error"
# A form too large or with too many fields: which limit, not just "Bad Request".
handler400 = "factcheck.errors.bad_request"
