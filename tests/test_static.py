"""Static files: hashed names, compressed copies and a year-long cache, via whitenoise."""

import re

import pytest
from django.core.management import call_command
from django.test import Client


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.DEBUG = False
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.contrib.staticfiles.storage import staticfiles_storage

    staticfiles_storage._setup()  # re-read the storage settings changed above
    return settings.STATIC_ROOT


@pytest.mark.django_db
def test_pages_link_hashed_stylesheets_served_with_a_long_cache(collected):
    client = Client()  # a new client loads whitenoise with the collected files
    page = client.get("/methodology/").content.decode()
    [href] = re.findall(r'href="(/static/factcheck/site\.[0-9a-f]{12}\.css)"', page)

    response = client.get(href, headers={"accept-encoding": "gzip"})
    response.close()  # whitenoise answers with an open file

    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
    assert (collected / href.removeprefix("/static/")).exists()
    plain = client.get("/static/factcheck/site.css")
    plain.close()
    assert plain.status_code == 200
    assert "immutable" not in plain["Cache-Control"]  # unhashed names may change
