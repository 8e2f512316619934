"""The "same claim, checked before" panel in Chromium, with a screenshot in
test-artifacts/ (admin-similar-claims.png). The other article is a page the
fact-check cites (the joint Nordic statement), its text the passage the fixture
quotes from it."""

import pytest

from tests.site_pages import AXE_JS, missing
from tests.test_accessibility import axe_violations
from tests.test_browser import (  # noqa: F401  (fixtures, and its marks: Chromium, live server)
    ARTIFACTS,
    browser_page,
    demo_site,
    log_in,
    pytestmark,
)
from tests.test_similar import NORDIC_FINDING, OTHER


@pytest.fixture
def nordic_draft(demo_site):  # noqa: F811
    from factcheck.history import recorded_change
    from factcheck.models import Citation, Claim, Source

    source = Source.objects.get(slug=OTHER)
    source.text = Citation.objects.get(source=source).passage
    with recorded_change(reason="Test data: the passage the fact-check quotes"):
        source.save()
        return Claim.objects.create(
            source=source,
            slug="nordic-statement-massive-systematic-violations",
            statement=NORDIC_FINDING,
            quote=NORDIC_FINDING,
            attributed_to="Nordic foreign ministers",
            kind="finding",
        )


def test_the_claim_page_lists_published_claims_that_say_nearly_the_same(
    nordic_draft,
    live_server,
    browser_page,  # noqa: F811
):
    page = browser_page
    log_in(page, live_server, "researcher", "belarus-demo")
    page.goto(f"{live_server.url}/admin/factcheck/claim/{nordic_draft.pk}/change/")
    panel = page.locator("#similar-claims")
    assert panel.is_visible()
    rows = panel.locator("tr.similar-claim")
    assert rows.count() == 2
    assert "Belarusian security forces arbitrarily detained thousands" in rows.first.inner_text()
    assert "36%" in rows.first.inner_text()
    panel.scroll_into_view_if_needed()
    panel.screenshot(path=str(ARTIFACTS / "admin-similar-claims.png"))

    rows.first.get_by_role("link", name="Public page").click()
    page.wait_for_url(f"{live_server.url}/claims/security-forces-detained-thousands/")

    if missing(AXE_JS, "axe-core") is None:  # axe-core is injected: past the CSP, here only
        context = page.context.browser.new_context(bypass_csp=True)
        checked = context.new_page()
        log_in(checked, live_server, "researcher", "belarus-demo")
        checked.goto(f"{live_server.url}/admin/factcheck/claim/{nordic_draft.pk}/change/")
        assert checked.locator("#similar-claims tr.similar-claim").count() == 2
        assert axe_violations(checked) == []
        context.close()
