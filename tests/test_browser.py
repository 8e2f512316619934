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
    """The site as `serve` sets it up: the article fact-checked and published. Request it
    before `browser_page`."""
    from django.core.management import call_command

    from factcheck.models import Claim

    settings.DEBUG = True
    call_command("serve", setup_only=True, verbosity=0)
    return {
        "claim": Claim.objects.get(slug="hundreds-subjected-to-torture"),
        "source_slug": "hrw-2020-11-06-belarus-expert-report-torture-inquiry",
    }


@pytest.fixture
def new_drafts(demo_site):
    """Two claims a researcher has just added to the article: test data for the walk."""
    from factcheck.history import recorded_change
    from factcheck.models import Claim, Source

    source = Source.objects.get(slug=demo_site["source_slug"])
    with recorded_change(reason="Test data: a new claim"):
        walked = Claim.objects.create(
            source=source,
            slug="hrw-said-today",
            statement="Human Rights Watch spoke of the report on the day of the release",
            quote="Human Rights Watch said today",
            attributed_to="Human Rights Watch",
            kind="attribution",
        )
        untouched = Claim.objects.create(
            source=source,
            slug="untouched-draft",
            statement="A draft nobody submits",
            quote="(Berlin)",
            attributed_to="Human Rights Watch",
            kind="fact",
        )
    return {"claim": walked, "draft": untouched}


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


def test_the_demo_accounts_walk_a_claim_from_draft_to_published_and_through_a_correction(
    demo_site, new_drafts, live_server, browser_page
):
    """Researcher submits, fact-checker requests changes, researcher fixes and
    resubmits, fact-checker approves, editor publishes; a later edit goes
    through review again while the public page keeps the published revision."""
    claim = new_drafts["claim"]
    browser = browser_page.context.browser
    admin = f"{live_server.url}/admin/factcheck/claim/{claim.pk}/change/"
    public = f"{live_server.url}/claims/{claim.slug}/"
    shots = iter(range(1, 100))

    def session(username):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        log_in(page, live_server, username, "belarus-demo")
        return page

    def shot(page, name):
        page.screenshot(path=str(ARTIFACTS / f"flow-{next(shots):02d}-{name}.png"), full_page=True)

    def take_step(page, step, fields=None, button=None):
        page.goto(admin)
        page.click(f'#review-panel a[data-step="{step}"]')
        for selector, value in (fields or {}).items():
            if selector.startswith("radio:"):
                page.check(selector.removeprefix("radio:"))
            else:
                page.fill(selector, value)
        page.click("input[type=submit].default")
        page.wait_for_url(admin)
        assert page.locator(".messagelist .success").count() == 1, page.content()[:3000]

    def status(page):
        page.goto(admin)
        return page.locator("#review-panel .claim-status").get_attribute("data-status")

    researcher, factchecker, editor = (
        session("researcher"),
        session("factchecker"),
        session("editor"),
    )

    # 1. The researcher submits the draft.
    researcher.goto(admin)
    steps = researcher.locator("#review-panel [data-step]").all_inner_texts()
    assert steps == ["Submit for review"]  # only what the researcher can do
    shot(researcher, "researcher-draft")
    take_step(researcher, "submit", {"#id_note": "Ready: quote checked against the article."})
    assert status(researcher) == "in_review"

    # 2. The fact-checker asks for changes; the comment reaches the thread.
    take_step(factchecker, "request_changes", {"#id_comment": "Say what can be checked."})
    assert status(factchecker) == "draft"
    assert "Say what can be checked." in factchecker.locator("#review-thread").inner_text()

    # 3. The researcher fixes the statement and resubmits.
    researcher.goto(admin)
    researcher.fill("#id_statement", "Human Rights Watch commented on the report the same day")
    researcher.fill("#id_change_reason", "Said what can be checked, as the fact-checker asked")
    researcher.click("input[name=_continue]")
    researcher.wait_for_url(admin)
    take_step(researcher, "submit")
    shot(researcher, "researcher-resubmitted")

    # 4. The fact-checker approves with a verdict, a fidelity rating and a rationale.
    factchecker.goto(admin)
    factchecker.click('#review-panel a[data-step="approve"]')
    shot(factchecker, "approve-form")
    factchecker.goto(admin)
    take_step(
        factchecker,
        "approve",
        {
            "radio:input[name=verdict][value=unverifiable]": "",
            "radio:input[name=fidelity][value=not_applicable]": "",
            "#id_rationale": "No source available to us shows when the release was issued.",
        },
    )
    assert status(factchecker) == "approved"

    # 5. The editor publishes; the public page shows the claim.
    take_step(editor, "publish")
    assert status(editor) == "published"
    shot(editor, "editor-published")
    reader = browser.new_context().new_page()
    reader.goto(public)
    assert "commented on the report the same day" in reader.inner_text("h1")
    assert reader.locator(".verdict-box .verdict").inner_text() == "Unverifiable"
    assert reader.locator(".fidelity-box .fidelity").inner_text() == "Not applicable"
    shot(reader, "public-revision-1")

    # 6. A later edit is a new draft revision; the public keeps revision 1 until
    #    it has been reviewed and published again.
    researcher.goto(admin)
    researcher.fill("#id_statement", "Human Rights Watch spoke on the day of the release")
    researcher.fill("#id_change_reason", "Plainer wording")
    researcher.click("input[name=_continue]")
    researcher.wait_for_url(admin)
    assert "changes below are not published yet" in researcher.inner_text("#review-panel")
    take_step(researcher, "submit")
    reader.goto(public)
    assert "commented on the report the same day" in reader.inner_text("h1")
    take_step(
        factchecker,
        "approve",
        {
            "radio:input[name=verdict][value=unverifiable]": "",
            "radio:input[name=fidelity][value=not_applicable]": "",
        },
    )
    reader.goto(public)
    assert reader.get_attribute("article.claim", "data-revision") == "1"
    editor.goto(admin)
    editor.click('#review-panel a[data-step="publish"]')
    editor.click("input[type=submit].default")  # a correction needs a public note
    assert "Say what changed" in editor.inner_text(".step-error")
    shot(editor, "correction-needs-a-public-note")
    editor.fill("#id_note", "Plainer wording; the verdict is unchanged.")
    editor.click("input[type=submit].default")
    editor.wait_for_url(admin)
    reader.goto(public)
    assert "Human Rights Watch spoke on the day of the release" in reader.inner_text("h1")
    assert reader.get_attribute("article.claim", "data-revision") == "2"
    shot(reader, "public-revision-2")

    # 7. The published claim is on every public surface; the drafts are on none.
    draft = new_drafts["draft"]
    site = live_server.url
    surfaces = {
        "/": f"{ARTICLE_CLAIMS + 1} published claims",
        "/claims/": "Human Rights Watch spoke on the day of the release",
        f"/sources/{demo_site['source_slug']}/": f'id="claim-{claim.slug}"',
        "/corrections.atom": "Plainer wording; the verdict is unchanged.",
        "/sitemap.xml": f"{site}/claims/{claim.slug}/",
        "/claims.csv": "Human Rights Watch spoke on the day of the release",
        "/api/claims/": f'"slug":"{claim.slug}"',
        f"/api/claims/{claim.slug}/": '"revision":2',
        "/api/sources/": f'"claims":{ARTICLE_CLAIMS + 1}',
        f"/claims/{claim.slug}/annotation.jsonld": '"TextPositionSelector"',
        f"/sources/{demo_site['source_slug']}/annotations.jsonld": f'"total": {ARTICLE_CLAIMS + 1}',
    }
    for path, expected in surfaces.items():
        body = reader.request.get(site + path).text()
        assert expected in body, path
        assert draft.statement not in body, path
        assert f"/claims/{draft.slug}/" not in body, path
    assert reader.request.get(f"{site}/claims/{draft.slug}/").status == 404

    # The history names each person and reason, and the desk counts one published claim.
    editor.goto(f"{admin.removesuffix('change/')}history/")
    history = editor.inner_text("#change-history")
    for reason in [
        "Submitted for review: Ready: quote checked against the article.",
        "Changes requested: Say what can be checked.",
        "Said what can be checked, as the fact-checker asked",
        "Approved as Unverifiable",
        "Published revision 1",
        "New revision of the published claim: Plainer wording",
        "Published revision 2: Plainer wording; the verdict is unchanged.",
    ]:
        assert reason in history
    shot(editor, "history")
    editor.goto(f"{live_server.url}/admin/")
    assert editor.inner_text('#desk-dashboard td[data-status="published"]') == str(
        ARTICLE_CLAIMS + 1
    )
    shot(editor, "dashboard")


@pytest.fixture
def public_site(demo_site):
    """The demo site as `serve` publishes it, before the browser starts."""
    from factcheck.models import Claim

    return {
        "claim": Claim.objects.get(slug="report-found-massive-and-systemic-violations"),
        "source_slug": demo_site["source_slug"],
    }


@pytest.mark.parametrize("width,device", [(1280, "desktop"), (390, "phone")])
def test_public_pages_at_desktop_and_phone_width(
    public_site, live_server, browser_page, width, device
):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    claim = public_site["claim"]
    paths = {
        "home": "/",
        "claims": "/claims/",
        "claim": f"/claims/{claim.slug}/",
        "article": f"/sources/{public_site['source_slug']}/",
    }
    for name, path in paths.items():
        page.goto(live_server.url + path)
        # Nothing is wider than the screen, and the page has one main landmark and one h1.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        assert page.locator("main").count() == 1 and page.locator("h1").count() == 1, path
        page.screenshot(path=str(ARTIFACTS / f"public-{name}-{device}.png"), full_page=True)
        assert os.path.getsize(ARTIFACTS / f"public-{name}-{device}.png") > 10_000

    # Keyboard users get a skip link and a visible focus ring.
    page.goto(live_server.url + "/claims/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    # Every form control has a label.
    for control in page.locator(".filters input, .filters select").all():
        control_id = control.get_attribute("id")
        assert page.locator(f'label[for="{control_id}"]').count() == 1

    # The annotated article links each highlight to its claim.
    page.goto(live_server.url + paths["article"] + f"#claim-{claim.slug}")
    page.click(f'a.highlight[href="/claims/{claim.slug}/"] >> nth=0')
    page.wait_for_url(live_server.url + paths["claim"])
    assert page.locator(".verdict-box .verdict").inner_text() == "Mostly accurate"
    assert page.locator(".fidelity-box .fidelity").inner_text() == "Wording differs"
    assert page.locator(".wording-pair").count() == 2
    assert page.locator(".wording-pair em.differs").first.is_visible()
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / f"public-claim-print-{device}.png"), full_page=True)
    assert page.locator(".site-header nav").is_hidden()


def test_a_step_button_is_disabled_after_the_first_click(
    demo_site, new_drafts, live_server, browser_page
):
    page = browser_page
    claim = new_drafts["claim"]
    log_in(page, live_server, "researcher", "belarus-demo")
    page.goto(f"{live_server.url}/admin/factcheck/claim/{claim.pk}/step/submit/")
    # Count the sends that would leave the page, and keep the page here to look at it
    # (this listener runs after the page's own, which is on the document).
    page.evaluate(
        """window.sends = 0; window.addEventListener("submit", (event) => {
            if (!event.defaultPrevented) window.sends += 1;
            event.preventDefault();
        })"""
    )
    button = page.locator("input[type=submit].default")
    button.click()
    assert button.is_disabled()
    page.evaluate("document.querySelector('form[data-send-once]').requestSubmit()")  # again
    assert page.evaluate("window.sends") == 1


def test_the_claim_list_and_page_fit_the_screen(demo_site, live_server, browser_page):
    page = browser_page
    log_in(page, live_server, "editor", "belarus-demo")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/factcheck/claim/")
    table, area = page.evaluate(
        "[document.querySelector('#result_list').scrollWidth,"
        " document.querySelector('#changelist-form').clientWidth]"
    )
    assert table <= area  # no column hidden behind a scroll
    assert page.locator("#result_list img[alt='False']").count() == 0  # no red ✗ on every row
    page.screenshot(path=str(ARTIFACTS / "admin-claim-list-1280.png"))

    claim = demo_site["claim"]
    change = f"{live_server.url}/admin/factcheck/claim/{claim.pk}/change/"
    page.goto(change)
    # A 75-character statement is seen whole in its input.
    page.fill(
        "#id_statement",
        "Security forces subjected hundreds of detainees to torture, the report says",
    )
    assert page.evaluate(
        "(e => e.scrollWidth <= e.clientWidth)(document.querySelector('#id_statement'))"
    )
    # The review thread is below the form, not behind it.
    form_bottom, thread_top = page.evaluate(
        "[document.querySelector('#claim_form').getBoundingClientRect().bottom,"
        " document.querySelector('#review-thread').getBoundingClientRect().top]"
    )
    assert thread_top >= form_bottom
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(change)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "admin-claim-change-phone.png"), full_page=True)
