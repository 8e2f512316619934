"""Issue 12, "Done when": the whole walk in a real browser (headless Chromium).

A new researcher imports a real article from the admin, dismisses one candidate
claim and edits then accepts another, attaches captured evidence (a real page,
uploaded as a capture), and the claim goes through review to publication, each
step taken in the browser by its own account (four eyes). The public claim page
then says the quote was checked against our archived copy, and links to it.

Test data (both real pages, kept whole in GitHub ``mozilla/readability``; see
tests/data/articles/README.md and tests/data/README.md for paths, commit and
licences):

- the article: The Guardian, 3 January 2019, "'What is the sea telling us?':
  Māori tribes fearful over whale strandings";
- the evidence: Wikipedia's article "New Zealand" as saved in that repository.
  What it states about itself, read from the file: canonical URL
  https://en.wikipedia.org/wiki/New_Zealand, title "New Zealand - Wikipedia"
  (heading "New Zealand"), "This page was last edited on 26 September 2019, at
  11:35". The passage cited is in its text ("… is the current Māori name for
  New Zealand.").

The date the desk read the evidence (the citation's "accessed on") is the day
this walk was written: 2026-12-06.

Screenshots: test-artifacts/walk-NN-*.png.
"""

import itertools
import re
from pathlib import Path

import pytest

from tests.conftest import user_with_role
from tests.test_browser import ARTIFACTS, CHROMIUM, log_in, playwright_api

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Chromium is not installed: apt-get install chromium (.ci/run does this)",
    ),
    pytest.mark.django_db(transaction=True),
]

DATA = Path(__file__).parent / "data"
ARTICLE = DATA / "articles" / "guardian-2019-01-03-maori-whale-strandings.html"
EVIDENCE = DATA / "captures" / "wikipedia-new-zealand.html"

ARTICLE_URL = (
    "https://www.theguardian.com/environment/2019/jan/03/"
    "what-is-the-sea-telling-us-maori-tribes-fearful-over-whale-strandings"
)
HEADLINE = "'What is the sea telling us?': Māori tribes fearful over whale strandings"
QUOTE = "Aotearoa as it is called by Māori"
STATEMENT = "Aotearoa is what Māori call New Zealand"
PASSAGE = "is the current Māori name for New Zealand"
EVIDENCE_URL = "https://en.wikipedia.org/wiki/New_Zealand"  # the page's rel=canonical
EVIDENCE_TITLE = "New Zealand"  # its heading; <title> adds " - Wikipedia"
ACCESSED_ON = "2026-12-06"
RATIONALE = (
    "Wikipedia's article on New Zealand says Aotearoa is the current Māori name for New Zealand."
)
PASSWORD = "walk-the-desk"


@pytest.fixture
def desk(db, settings, tmp_path):
    """Three new accounts, one per role; captures stored under tmp_path. The
    database is touched here only, before the browser starts (see browser_page)."""
    from factcheck.roles import Role

    settings.STORAGES = {
        **settings.STORAGES,
        "captures": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    for username, role in (
        ("rhiannon", Role.RESEARCHER),
        ("farid", Role.FACT_CHECKER),
        ("edwina", Role.EDITOR),
    ):
        user = user_with_role(username, role)
        user.set_password(PASSWORD)
        user.save()
    # The passage really is on the page we upload as the capture.
    assert PASSAGE in EVIDENCE.read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{EVIDENCE_URL}" />' in EVIDENCE.read_text(encoding="utf-8")


@pytest.fixture
def chromium():
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def test_a_new_researcher_takes_an_imported_article_to_a_published_fact_check(
    desk, live_server, chromium
):
    shots = itertools.count(1)

    def shot(page, name, full_page=True):
        path = ARTIFACTS / f"walk-{next(shots):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)

    def session(username):
        page = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        log_in(page, live_server, username, PASSWORD)
        return page

    def succeeded(page):
        assert page.locator(".messagelist .success").count() == 1, page.locator(
            ".errornote, .errorlist, .messagelist"
        ).all_inner_texts()

    researcher = session("rhiannon")

    # 1. Import the article: upload, look at the preview, confirm.
    researcher.goto(f"{live_server.url}/admin/factcheck/source/")
    researcher.click("text=Import an article")
    researcher.set_input_files("#id_file", str(ARTICLE))
    researcher.click("#import-upload input[type=submit]")
    assert researcher.input_value("#id_publisher") == "The Guardian"
    assert researcher.input_value("#id_byline") == "Eleanor Ainge Roy"
    assert researcher.input_value("#id_published_on") == "2019-01-03"
    assert researcher.input_value("#id_url") == ARTICLE_URL  # the page's rel=canonical
    assert QUOTE in researcher.inner_text(".import-text")
    # The page's og:title adds the byline after a "|": the importer keeps the headline.
    assert researcher.input_value("#id_title") == HEADLINE
    shot(researcher, "import-preview")
    researcher.fill("#id_reason", "New article to check: Guardian on whale strandings")
    researcher.click("button[value=confirm]")
    researcher.wait_for_url("**/admin/factcheck/source/*/change/")
    succeeded(researcher)
    shot(researcher, "article-source-created", full_page=False)

    # 2. Its candidate claims, proposed on import: dismiss one, edit then accept another.
    researcher.get_by_role("link", name="Candidate claims").first.click()
    researcher.wait_for_url("**/admin/factcheck/candidateclaim/source/*/")
    rows = researcher.locator("table.candidate-table tbody tr")
    assert rows.count() > 5
    shot(researcher, "candidate-list", full_page=False)
    wanted = rows.filter(has_text=QUOTE)
    assert wanted.count() == 1
    dismissed = rows.filter(has_text="It was a shock.")
    assert dismissed.count() == 1
    dismissed_text = dismissed.locator(".candidate-text").inner_text()
    dismissed.get_by_label("Why dismiss").fill(
        "A feeling quoted, not a statement that can be checked"
    )
    dismissed.locator("input[value=Dismiss]").click()
    researcher.wait_for_url("**/admin/factcheck/candidateclaim/source/*/**")
    succeeded(researcher)
    decided = researcher.locator("section[aria-labelledby=decided-heading]")
    assert dismissed_text in decided.inner_text()

    researcher.locator("table.candidate-table tbody tr").filter(has_text=QUOTE).get_by_role(
        "link", name="Edit, then accept"
    ).click()
    researcher.wait_for_url("**/admin/factcheck/candidateclaim/*/accept/")
    assert researcher.locator("#similar-claims").is_visible()
    suggested_attribution = researcher.input_value("#id_attributed_to")
    researcher.fill("#id_quote", QUOTE)
    researcher.fill("#id_statement", STATEMENT)
    researcher.select_option("#id_kind", "fact")
    if "Guardian" not in suggested_attribution:
        researcher.fill("#id_attributed_to", "The Guardian")
    researcher.fill("#id_reason", "The checkable part: what Māori call New Zealand")
    shot(researcher, "accept-form")
    researcher.click("input[type=submit].default")
    researcher.wait_for_url("**/admin/factcheck/claim/*/change/")
    succeeded(researcher)
    claim_admin = researcher.url
    slug = researcher.input_value("#id_slug")
    mark = researcher.locator(".quote-context mark#quote")
    assert mark.text_content() == QUOTE  # anchored, exactly
    shot(researcher, "draft-claim", full_page=False)
    assert researcher.locator("#review-panel .claim-status").get_attribute("data-status") == (
        "draft"
    )

    # 3. The cited page: a source for it, then its capture uploaded from the source's page.
    researcher.goto(f"{live_server.url}/admin/factcheck/source/add/")
    researcher.fill("#id_title", EVIDENCE_TITLE)
    researcher.fill("#id_slug", "wikipedia-new-zealand")
    researcher.select_option("#id_kind", "web_page")
    researcher.fill("#id_url", EVIDENCE_URL)
    researcher.fill("#id_publisher", "Wikipedia")
    researcher.fill(
        "#id_notes",
        "Read in mozilla/readability's stored copy of the page "
        "(test/test-pages/wikipedia-2/source.html), which says "
        "“This page was last edited on 26 September 2019, at 11:35”.",
    )
    researcher.fill("#id_change_reason", "The page our evidence for the Aotearoa claim is on")
    researcher.click("input[name=_continue]")
    researcher.wait_for_url("**/admin/factcheck/source/*/change/")
    succeeded(researcher)
    researcher.get_by_text("Add a capture").click()
    researcher.wait_for_url("**/admin/factcheck/capture/add/**")
    researcher.set_input_files("#id_file", str(EVIDENCE))
    researcher.fill("#id_change_reason", "Saved the Wikipedia page as read")
    shot(researcher, "capture-upload")
    researcher.click("input[name=_save]")
    researcher.wait_for_url("**/admin/factcheck/capture/")
    succeeded(researcher)

    # The claim cites it: the passage, exactly as on the page.
    researcher.goto(claim_admin)
    researcher.get_by_text("Add another Citation").click()
    row = researcher.locator(".inline-related:not(.empty-form)").last
    row.locator(".select2-selection").click()
    researcher.locator(".select2-search__field").fill("New Zealand")
    researcher.locator(".select2-results__option", has_text=EVIDENCE_TITLE).first.click()
    row.locator("select[name$='-stance']").select_option("supports")
    row.locator("textarea[name$='-passage'], input[name$='-passage']").fill(PASSAGE)
    row.locator("input[name$='-accessed_on']").fill(ACCESSED_ON)
    researcher.fill("#id_change_reason", "Cited Wikipedia's article on New Zealand")
    researcher.click("input[name=_continue]")
    researcher.wait_for_url(claim_admin)
    succeeded(researcher)
    found = researcher.locator(".capture-found")
    assert found.count() == 1
    assert "found in the capture" in found.inner_text()
    found.scroll_into_view_if_needed()
    shot(researcher, "claim-found-in-capture", full_page=False)

    # 4. Review: the researcher submits, the fact-checker approves, the editor publishes.
    def take_step(page, step, fields=None, name=None):
        page.goto(claim_admin)
        page.click(f'#review-panel a[data-step="{step}"]')
        page.wait_for_url(f"**/step/{step}/")
        for selector, value in (fields or {}).items():
            if selector.startswith("radio:"):
                page.check(selector.removeprefix("radio:"))
            else:
                page.fill(selector, value)
        if name:
            shot(page, name)
        page.click("input[type=submit].default")
        page.wait_for_url(claim_admin)
        succeeded(page)
        return page.locator("#review-panel .claim-status").get_attribute("data-status")

    assert take_step(researcher, "submit", {"#id_note": "Evidence captured."}) == "in_review"
    factchecker = session("farid")
    status = take_step(
        factchecker,
        "approve",
        {
            "radio:input[name=verdict][value=accurate]": "",
            "radio:input[name=fidelity][value=not_applicable]": "",
            "#id_rationale": RATIONALE,
        },
        name="approve-form",
    )
    assert status == "approved"
    editor = session("edwina")
    assert take_step(editor, "publish", name="publish-form") == "published"
    shot(editor, "published-claim-admin", full_page=False)
    # Every step is in the claim's history, with who and why.
    editor.goto(claim_admin.replace("/change/", "/history/"))
    rows = editor.locator("#content table tbody tr")
    for who, why in (
        ("rhiannon", "Accepted a candidate claim: The checkable part: what Māori call New Zealand"),
        ("rhiannon", "Cited Wikipedia's article on New Zealand"),
        ("rhiannon", "Submitted for review: Evidence captured."),
        ("farid", "Approved as Accurate"),
        ("edwina", "Published revision 1"),
    ):
        assert rows.filter(has_text=why).filter(has_text=who).count() == 1, (who, why)
    shot(editor, "claim-history")

    # 5. The public (logged out): the claim, its verdict, the quote checked, the archive.
    reader = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    reader.goto(f"{live_server.url}/claims/{slug}/")
    assert STATEMENT in reader.inner_text("h1")
    assert reader.locator(".verdict-box .verdict").inner_text() == "Accurate"
    assert RATIONALE in reader.inner_text("main")
    check = reader.locator(".capture-check--found")
    assert check.count() == 1
    assert re.fullmatch(
        r"Quote checked against our archived copy of \d{1,2} \w+ \d{4}\.",
        check.inner_text().strip(),
    ), check.inner_text()
    shot(reader, "public-claim")
    check.locator("a").click()
    reader.wait_for_url(re.compile(r".*/archive/\d+/$"))
    assert EVIDENCE_URL in reader.inner_text("main")
    assert PASSAGE in reader.inner_text("main")
    shot(reader, "public-archive", full_page=False)
