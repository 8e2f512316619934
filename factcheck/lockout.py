"""The page for a login refused because the account is locked (django-axes)."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """429 Too Many Requests, saying for how long and who can unlock it sooner."""
    return render(
        request,
        "registration/locked_out.html",
        {
            **admin.site.each_context(request),
            "title": "Account locked",
            "failure_limit": settings.LOGIN_FAILURE_LIMIT,
            "minutes": settings.LOGIN_LOCKOUT_MINUTES,
        },
        status=429,
    )
