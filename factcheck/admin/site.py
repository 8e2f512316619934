"""The admin site's titles, its front page (the desk dashboard) and its 403 page."""

from django.contrib import admin
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse


def configure_site():
    admin.site.site_header = "Fact-check tracker"
    admin.site.site_title = "Fact-check tracker"
    admin.site.index_title = "Editorial desk"
    admin.site.index_template = "admin/desk_index.html"
    # Three models need no sidebar; its 275 px pushed list columns behind a scroll.
    admin.site.enable_nav_sidebar = False


def permission_denied(request, exception=None):
    """403, with the refusal's own reason ("Your role does not allow this step…")."""
    context = {
        **admin.site.each_context(request),
        "title": "You cannot do this",
        "exception": str(exception or ""),
        "back_url": _object_page(request),
    }
    return render(request, "403.html", context, status=403)


def _object_page(request):
    """The change page of the object a refused admin page was about, if any."""
    match = request.resolver_match
    if match is None or match.namespace != "admin" or "object_id" not in match.kwargs:
        return None
    app_model = match.url_name.rsplit("_", 1)[0]  # factcheck_claim_step -> factcheck_claim
    for name in (f"admin:{app_model}_change", f"admin:{app_model.rsplit('_', 1)[0]}_change"):
        try:
            return reverse(name, args=[match.kwargs["object_id"]])
        except NoReverseMatch:
            continue
    return None
