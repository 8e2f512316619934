"""The desk in a real browser: headless Chromium, driven by Playwright.

Screenshots are saved in test-artifacts/ for people to look at.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ARTICLE_CLAIMS, ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (requirements-dev.txt has it)"
)
pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Chromium is not installed: apt-get install chromium chromium-driver "
        "(.ci/run does this)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo_site(settings):
    """The site as `serve` sets it up. Request it before `browser_page`."""
    from django.core.management import call_command

    from factcheck.models import Claim

    settings.DEBUG = True
    call_command("serve", setup_only=True, verbosity=0)
    return {"claim": Claim.objects.get(slug="hundreds-subjected-to-torture")}


@pytest.fixture
def browser_page():
    # Playwright's sync API runs an event loop in this thread. Django would give
    # ORM calls made while it runs a connection of their own that is never
    # closed, so tests touch the database only before this fixture starts.
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        yield page
        browser.close()


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_editor_sees_every_claim_with_its_quote_highlighted_in_context(
    demo_site, live_server, browser_page
):
    page = browser_page
    log_in(page, live_server, "editor", "belarus-demo")

    page.goto(f"{live_server.url}/admin/factcheck/claim/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == ARTICLE_CLAIMS
    marks = page.locator("#result_list .quote-snippet mark")
    assert marks.count() == ARTICLE_CLAIMS
    assert any("at least 178 journalists" in text for text in marks.all_inner_texts())
    page.screenshot(path=str(ARTIFACTS / "admin-claim-list.png"), full_page=False)

    claim = demo_site["claim"]
    page.goto(f"{live_server.url}/admin/factcheck/claim/{claim.pk}/change/")
    mark = page.locator(".quote-context mark#quote")
    assert mark.is_visible()
    assert mark.text_content() == claim.quote
    context = page.locator(".quote-context").text_content()
    assert context.startswith("Belarusian security forces responded")
    assert context.endswith("justice for abuses.")
    # The highlight is visibly different from the text around it.
    background = mark.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    page.locator(".quote-context").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "admin-claim-change.png"), full_page=True)

    page.goto(f"{live_server.url}/admin/factcheck/claim/{claim.pk}/history/")
    assert "Imported from fixture belarus_hrw_2020" in page.content()
    page.screenshot(path=str(ARTIFACTS / "admin-claim-history.png"))
    assert os.path.getsize(ARTIFACTS / "admin-claim-change.png") > 10_000
