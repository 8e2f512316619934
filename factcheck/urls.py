from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Fact-check tracker"
admin.site.site_title = "Fact-check tracker"
admin.site.index_title = "Editorial desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The public pages are not built yet; until then the site opens on the desk.
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
