"""The admin site's titles and its front page, the desk dashboard."""

from django.contrib import admin


def configure_site():
    admin.site.site_header = "Fact-check tracker"
    admin.site.site_title = "Fact-check tracker"
    admin.site.index_title = "Editorial desk"
    admin.site.index_template = "admin/desk_index.html"
