from django.conf import settings


def site(request):
    """The site's name and publisher, for every template."""
    return {"site_name": settings.SITE_NAME, "site_publisher": settings.SITE_PUBLISHER}
