"""Importing an article in a real browser (headless Chromium): upload the seed capture,
see the chrome struck out, save. Screenshots in test-artifacts/."""

import pytest

from tests.conftest import SEED, user_with_role
from tests.site_pages import AXE_JS, missing
from tests.test_browser import ARTIFACTS, CHROMIUM, browser_page, log_in  # noqa: F401

pytestmark = [
    pytest.mark.skipif(
        not __import__("pathlib").Path(CHROMIUM).exists(),
        reason="Chromium is not installed: apt-get install chromium (.ci/run does this)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def importer_account(db):
    from factcheck.roles import Role

    user = user_with_role("imogen", Role.RESEARCHER)
    user.set_password("import-test")
    user.save()
    return user


def test_a_researcher_imports_the_seed_capture_from_the_sources_list(
    importer_account,
    live_server,
    browser_page,  # noqa: F811
):
    page = browser_page
    page.context.add_init_script(RECORD_CSP_VIOLATIONS)
    log_in(page, live_server, "imogen", "import-test")
    page.goto(f"{live_server.url}/admin/factcheck/source/")
    page.click("text=Import an article")
    page.set_input_files("#id_file", str(SEED))
    page.click("#import-upload input[type=submit]")
    struck = page.locator(".capture-text del")
    assert struck.first.is_visible()
    assert "Share this via Facebook" in struck.all_inner_texts()
    kept = page.locator(".capture-text p.kept")
    assert kept.first.inner_text() == (
        "Belarus: Expert Report Calls for International Inquiry into Torture"
    )
    assert page.input_value("#id_title").startswith("Belarus: Expert Report")
    page.screenshot(path=str(ARTIFACTS / "import-article-preview.png"), full_page=True)
    assert page.evaluate("() => window.__cspViolations") == []
    if missing(AXE_JS, "axe-core") is None:
        # axe-core is injected past the CSP by DevTools, for this check only.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        assert [v["id"] for v in result["violations"]] == []
    page.fill("#id_publisher", "Human Rights Watch")
    page.fill("#id_reason", "New article to check")
    page.click("button[value=confirm]")
    page.wait_for_url("**/admin/factcheck/source/*/change/")
    assert page.locator(".messagelist .success").count() == 1
    page.screenshot(path=str(ARTIFACTS / "import-article-saved.png"))


# Registered before any page script runs (DevTools, not a page script, so CSP allows it).
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective}: ${event.blockedURI || 'inline'}`);
});
"""


def test_an_html_page_previews_its_text_and_stated_metadata(
    importer_account,
    live_server,
    browser_page,  # noqa: F811
):
    from tests.test_article_import import PAGES

    page = browser_page
    log_in(page, live_server, "imogen", "import-test")
    page.goto(f"{live_server.url}/admin/factcheck/source/import/")
    page.set_input_files("#id_file", str(PAGES / "readability-guardian-1.html"))
    page.click("#import-upload input[type=submit]")
    assert page.input_value("#id_publisher") == "The Guardian"
    assert page.input_value("#id_byline") == "Eleanor Ainge Roy"
    assert page.input_value("#id_published_on") == "2019-01-03"
    assert page.input_value("#id_language") == "en"
    first = page.locator(".import-text .capture-text p").first
    assert first.inner_text().startswith("Whale whisperer Hori Parata")
    page.screenshot(path=str(ARTIFACTS / "import-article-html-preview.png"))
