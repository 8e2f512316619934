"""The ETag of a public answer changes when the code that renders it changes.

A deploy that changes a rating's definition, a template tag, a template, the
hashed name of a stylesheet or the site's name changes what readers get, so a
cached copy must not be confirmed with 304 Not Modified.
"""

import json
import shutil

import pytest

from factcheck.public.caching import code_fingerprint
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

PAGE = "/methodology/"


@pytest.fixture
def project(tmp_path, settings):
    """A copy of the project's code and templates, in which a test changes a file."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "factcheck", tmp_path / "factcheck", ignore=ignore)
    settings.BASE_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    code_fingerprint.cache_clear()
    yield tmp_path
    code_fingerprint.cache_clear()


def etag_after(client, change) -> tuple[str, str]:
    """The page's ETag before and after ``change()``, as after a deploy (a new process)."""
    before = client.get(PAGE)["ETag"]
    change()
    code_fingerprint.cache_clear()
    return before, client.get(PAGE)["ETag"]


@pytest.mark.parametrize(
    "path",
    [
        "factcheck/ratings.py",
        "factcheck/templatetags/public.py",
        "factcheck/public/pages.py",
        "factcheck/weblinks.py",
        "templates/public/methodology.html",
        "templates/base.html",
    ],
)
def test_changing_code_that_renders_public_answers_changes_the_etag(client, project, path):
    def edit():
        with (project / path).open("a", encoding="utf-8") as file:
            file.write("\n")

    before, after = etag_after(client, edit)

    assert before != after


def test_a_new_static_manifest_changes_the_etag(client, project):
    manifest = project / "staticfiles" / "staticfiles.json"

    def collect(css_hash):
        def write():
            manifest.parent.mkdir(exist_ok=True)
            paths = {"factcheck/site.css": f"factcheck/site.{css_hash}.css"}
            manifest.write_text(json.dumps({"paths": paths, "version": "1.1"}))

        return write

    first, collected = etag_after(client, collect("0a1b2c"))
    assert first != collected
    _, recollected = etag_after(client, collect("3d4e5f"))
    assert recollected != collected


@pytest.mark.parametrize("name", ["SITE_NAME", "SITE_PUBLISHER", "SITE_URL"])
def test_changing_the_sites_name_or_address_changes_the_etag(client, project, settings, name):
    before, after = etag_after(
        client, lambda: setattr(settings, name, f"https://changed.example.org/{name}")
    )

    assert before != after


def test_an_unchanged_deploy_keeps_the_etag(client, project):
    before, after = etag_after(client, lambda: None)

    assert before == after
