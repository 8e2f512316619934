"""The public pages, and the desk pages we added, have no accessibility
violations by axe-core (WCAG 2 A and AA rules and best practices), and nothing
on them breaks the Content-Security-Policy, in headless Chromium. One browser
runs for all the pages."""

import shutil
from pathlib import Path

import pytest

from tests.site_pages import AXE_JS, build_site, desk_paths, missing, public_paths

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (requirements-dev.txt has it)"
)
pytestmark = [
    pytest.mark.same_on_every_database,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Chromium is not installed: apt-get install chromium chromium-driver "
        "(.ci/run does this)",
    ),
    pytest.mark.skipif(
        missing(AXE_JS, "axe-core") is not None, reason=missing(AXE_JS, "axe-core") or ""
    ),
    pytest.mark.django_db(transaction=True),
]

# Readers' pages: the special cases, one ordinary claim, and every other page.
SPECIAL_CLAIMS = ("corrected", "withdrawn", "orphaned", "wording", "unverifiable")


def reader_paths(site) -> list[str]:
    claims = [f"/claims/{site[name].slug}/" for name in SPECIAL_CLAIMS]
    others = [p for p in public_paths(site) if not p.startswith("/claims/") or "?" in p]
    first_claim = next(
        p for p in public_paths(site) if p.startswith("/claims/") and p.count("/") == 3
    )
    return [*others, first_claim, *claims, "/claims/"]


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        + f" [{violation['nodes'][0].get('failureSummary', '')}]"
        for violation in result["violations"]
    ]


def csp_violations(page) -> list[str]:
    """What the page's Content-Security-Policy blocked, as Chromium reported it."""
    return page.evaluate("() => window.__cspViolations || []")


# Registered before any page script runs (DevTools, not a page script, so CSP allows it).
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective}: ${event.blockedURI || 'inline'}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""


def problems_on_every_page(newsroom, superuser, client, live_server, check, *, bypass_csp):
    """Visit every reader page and every desk page (logged in) in one Chromium, and
    return what ``check(page, response)`` finds on each, by path."""
    # Everything that touches the database happens before the browser starts.
    site = build_site(newsroom)
    readers, desk = reader_paths(site), desk_paths(site)
    client.force_login(superuser)
    session = client.cookies["sessionid"].value

    found = {}
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        options = {"viewport": {"width": 1280, "height": 900}, "bypass_csp": bypass_csp}
        reader, staff = browser.new_context(**options), browser.new_context(**options)
        staff.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        for context, paths in ((reader, readers), (staff, desk)):
            context.add_init_script(RECORD_CSP_VIOLATIONS)
            page = context.new_page()
            for path in paths:
                response = page.goto(live_server.url + path)
                if problems := check(page, response):
                    found[path] = problems
        browser.close()
    return found


def report(found) -> str:
    return "\n".join(f"{path}: {v}" for path, vs in found.items() for v in vs)


def test_public_and_desk_pages_break_no_content_security_policy(
    newsroom, superuser, client, live_server
):
    def check(page, response):
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        return csp_violations(page)

    found = problems_on_every_page(
        newsroom, superuser, client, live_server, check, bypass_csp=False
    )
    assert not found, report(found)


def test_public_and_desk_pages_have_no_axe_violations(newsroom, superuser, client, live_server):
    # axe-core is injected as a script element: past the site's CSP, for this test only.
    found = problems_on_every_page(
        newsroom,
        superuser,
        client,
        live_server,
        lambda page, response: axe_violations(page),
        bypass_csp=True,
    )
    assert not found, report(found)
