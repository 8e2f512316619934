"""Archived copies in Chromium: no script of a captured page ever runs on our origin.

The capture is ``tests/data/captures/hostile.html`` (SYNTHETIC: its scripts try to
rewrite the page, set a cookie and call home). Screenshots go to test-artifacts/.
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.test_browser import ARTIFACTS, CHROMIUM, log_in, playwright_api

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Chromium is not installed: apt-get install chromium (.ci/run does this)",
    ),
    pytest.mark.django_db(transaction=True),
]

HOSTILE = (Path(__file__).parent / "data" / "captures" / "hostile.html").read_bytes()
CLAIM = "report-calls-for-international-torture-inquiry"
CITED = "gov-uk-joint-canada-uk-statement-belarus"


@pytest.fixture
def hostile_capture_published(article, newsroom, settings, tmp_path):
    from factcheck.captures import storing
    from factcheck.models import Claim
    from tests.factories import UserFactory

    settings.STORAGES = {
        **settings.STORAGES,
        "captures": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    claim = Claim.objects.get(slug=CLAIM)
    source = claim.citations.get(source__slug=CITED).source
    capture = storing.upload(
        source,
        SimpleUploadedFile("hostile.html", HOSTILE),
        user=newsroom.researcher,
        reason="Test: a hostile page saved as a capture",
    )
    newsroom.publish(claim)
    boss = UserFactory(username="boss", is_superuser=True, is_staff=True)
    boss.set_password("capture-test")
    boss.save()
    from tests.test_captures import excerpts

    return {
        "capture": capture.pk,
        "claim": claim.pk,
        "source": source.pk,
        "excerpts": excerpts(source),
    }


@pytest.fixture
def chromium():
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        yield context
        browser.close()


def assert_no_script_ran(page, context, requested):
    assert "PWNED" not in page.title()
    assert "PWNED" not in page.content()
    assert not any(c["name"] == "pwned" for c in context.cookies())
    assert not [url for url in requested if "pwned" in url]


def test_no_script_of_a_capture_runs_on_our_origin(
    hostile_capture_published, live_server, chromium
):
    capture, claim = hostile_capture_published["capture"], hostile_capture_published["claim"]
    context = chromium
    requested = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()

    # The claim page links to the archived copy it was checked against.
    page.goto(f"{live_server.url}/claims/{CLAIM}/")
    check = page.locator(".capture-check--missing")
    assert "is not in our archived copy of" in check.inner_text()
    check.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "capture-public-claim.png"))
    check.locator("a").click()
    page.wait_for_url(f"{live_server.url}/archive/{capture}/")
    assert "This synthetic passage is the evidence we quote." in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "capture-public-archive.png"), full_page=True)
    assert_no_script_ran(page, context, requested)

    # Text only: text/plain, sandboxed.
    page.goto(f"{live_server.url}/archive/{capture}/text.txt")
    assert_no_script_ran(page, context, requested)

    # The file as captured is a download, never a page on our origin; so is the WARC.
    for link in ("Download the file as captured", "Download the WARC record"):
        page.goto(f"{live_server.url}/archive/{capture}/")
        with page.expect_download() as download:
            page.get_by_text(link).click()
        assert download.value.path().read_bytes()
        assert_no_script_ran(page, context, requested)
    # Opened directly (typed in the address bar), it is still only a download.
    with page.expect_download() as download:
        try:
            page.goto(f"{live_server.url}/archive/{capture}/original")
        except playwright_api.Error as error:  # "Download is starting"
            assert "Download is starting" in str(error)
    assert download.value.path().read_bytes() == HOSTILE
    assert_no_script_ran(page, context, requested)

    # The desk: the claim's citations marked, the capture's text page.
    log_in(page, live_server, "boss", "capture-test")
    page.goto(f"{live_server.url}/admin/factcheck/claim/{claim}/change/")
    marks = page.locator(".capture-missing")
    assert marks.count() == 1
    assert "not found in the capture of" in marks.first.inner_text()
    assert page.get_by_text("No capture.").count() >= 1
    marks.first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "capture-admin-claim.png"))
    page.goto(f"{live_server.url}/admin/factcheck/capture/{capture}/text/")
    page.screenshot(path=str(ARTIFACTS / "capture-admin-text.png"))
    page.goto(f"{live_server.url}/admin/factcheck/source/")
    assert_no_script_ran(page, context, requested)


def test_an_editor_uploads_a_capture_from_the_sources_page(
    hostile_capture_published, live_server, chromium, tmp_path
):
    """The desk's path: the source's page lists its captures and offers to add one; the
    upload form takes a saved page and a reason; the new capture lists the passages."""
    saved = tmp_path / "statement.txt"
    saved.write_bytes(hostile_capture_published["excerpts"])
    page = chromium.new_page()
    log_in(page, live_server, "boss", "capture-test")
    page.goto(
        f"{live_server.url}/admin/factcheck/source/{hostile_capture_published['source']}/change/"
    )
    page.get_by_text("Add a capture").click()
    page.set_input_files("#id_file", str(saved))
    page.fill("#id_change_reason", "Saved the statement page as read")
    page.screenshot(path=str(ARTIFACTS / "capture-admin-add.png"), full_page=True)
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/factcheck/capture/")
    page.locator("#result_list tbody tr a").first.click()
    passages = page.locator(".field-passages").inner_text()
    assert f"{CLAIM} (—): found in the capture of" in passages
    page.screenshot(path=str(ARTIFACTS / "capture-admin-capture.png"), full_page=True)
