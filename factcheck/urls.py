from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("factcheck.public_urls")),
    # The public front page is not built yet; until then the site opens on the desk.
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
