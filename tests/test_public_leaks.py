"""Nothing unpublished reaches the public, on any page, feed, API, JSON-LD, CSV or sitemap.

The desk below holds every kind of unpublished thing at once: drafts, an
approved claim waiting for an editor, a pending edit of a published claim,
review comments, an assignment, a withdrawn claim, and staff accounts with
distinctive names and e-mail addresses. Every public URL is fetched (the
fixed ones, then every link found on them) and none may contain any of it.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest

from factcheck import workflow
from factcheck.models import Claim
from factcheck.ratings import Verdict
from factcheck.roles import Role
from tests.conftest import ARTICLE_SLUG, user_with_role
from tests.factories import CitationFactory, SourceFactory
from tests.newsroom import Newsroom

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'
SECRETS = {
    "draft statement": "DRAFT-SENTINEL statement",
    "approved rationale": "APPROVED-SENTINEL rationale",
    "pending statement": "PENDING-SENTINEL statement",
    "pending rationale": "PENDING-SENTINEL rationale",
    "review comment": "COMMENT-SENTINEL in the review thread",
    "withdrawn statement": "WITHDRAWN-SENTINEL statement",
    "withdrawn rationale": "WITHDRAWN-SENTINEL rationale",
    "withdrawn evidence": "WITHDRAWN-SENTINEL passage",
    "staff username": "zq-researcher",
    "staff username 2": "zq-checker",
    "staff username 3": "zq-editor",
    "staff e-mail": "staff.zq@newsroom.example",
    "staff first name": "Quintessa",
    "staff last name": "Zwartkruis",
}


@pytest.fixture
def desk(article):
    people = Newsroom(
        user_with_role(
            "zq-researcher",
            Role.RESEARCHER,
            email="staff.zq@newsroom.example",
            first_name="Quintessa",
            last_name="Zwartkruis",
        ),
        user_with_role("zq-checker", Role.FACT_CHECKER, email="checker.zq@newsroom.example"),
        user_with_role("zq-editor", Role.EDITOR, email="editor.zq@newsroom.example"),
    )
    claims = list(Claim.objects.filter(source=article).order_by("quote_start"))
    live, pending, approved, draft, withdrawn, hostile = claims[:6]

    people.publish(live, verdict=Verdict.ACCURATE, rationale="Published rationale.")

    people.publish(pending, verdict=Verdict.MIXED, rationale="Live rationale.")
    people.edit(pending, statement=SECRETS["pending statement"])
    workflow.submit(pending, user=people.researcher)
    pending.refresh_from_db()
    workflow.approve(
        pending,
        user=people.factchecker,
        verdict=Verdict.INACCURATE,
        rationale=SECRETS["pending rationale"],
        fidelity="not_applicable",
    )
    workflow.comment(pending, user=people.factchecker, body=SECRETS["review comment"])

    workflow.submit(approved, user=people.researcher)
    approved.refresh_from_db()
    workflow.assign(approved, user=people.editor, assignee=people.factchecker)
    approved.refresh_from_db()
    workflow.approve(
        approved,
        user=people.factchecker,
        verdict=Verdict.MISLEADING,
        rationale=SECRETS["approved rationale"],
        fidelity="not_applicable",
    )

    people.edit(draft, statement=SECRETS["draft statement"])

    people.edit(withdrawn, statement=SECRETS["withdrawn statement"])
    CitationFactory(
        claim=withdrawn,
        source=SourceFactory(slug="withdrawn-evidence", title="Withdrawn evidence title"),
        passage=SECRETS["withdrawn evidence"],
    )
    people.publish(withdrawn, rationale=SECRETS["withdrawn rationale"])
    people.withdraw(withdrawn, reason="The public reason for withdrawing it.")

    people.edit(hostile, statement="Hostile " + HOSTILE, attributed_to="Attribution " + HOSTILE)
    CitationFactory(
        claim=hostile,
        source=SourceFactory(
            slug="hostile-evidence",
            title="Title " + HOSTILE,
            publisher="Publisher " + HOSTILE,
            url="https://evil.example.org/?q=%22%3E",
        ),
        passage="Passage " + HOSTILE,
    )
    people.publish(hostile, rationale="Rationale " + HOSTILE)
    people.correct(
        hostile, verdict=Verdict.MIXED, rationale="Corrected " + HOSTILE, note="Note " + HOSTILE
    )
    return {
        "live": live,
        "pending": pending,
        "approved": approved,
        "draft": draft,
        "withdrawn": withdrawn,
        "hostile": hostile,
    }


def public_urls(slugs):
    urls = [
        "/",
        "/claims/",
        "/claims/?q=sentinel",
        "/claims/?sort=newest",
        "/claims.csv",
        "/claims.csv?q=sentinel",
        "/sources/",
        "/methodology/",
        "/corrections.atom",
        "/sitemap.xml",
        "/robots.txt",
        "/api/",
        "/api/claims/",
        "/api/claims/?q=sentinel",
        "/api/sources/",
        "/api/openapi.json",
        f"/sources/{ARTICLE_SLUG}/",
        f"/sources/{ARTICLE_SLUG}/text.txt",
        f"/sources/{ARTICLE_SLUG}/annotations.jsonld",
        f"/sources/{ARTICLE_SLUG}/annotations.jsonld?page=1",
        f"/sources/{ARTICLE_SLUG}/csl.json",
    ]
    for slug in slugs:
        urls += [
            f"/claims/{slug}/",
            f"/claims/{slug}/annotation.jsonld",
            f"/claims/{slug}/citations.csl.json",
            f"/api/claims/{slug}/",
        ]
    return urls


def crawl(client, start):
    """Fetch every URL in ``start`` and every same-site link found on the way."""
    seen, queue, bodies = set(), list(start), {}
    while queue:
        url = queue.pop(0)
        if url in seen or url.startswith("/admin/") or url.startswith("/static/"):
            continue
        seen.add(url)
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        bodies[url] = (response.status_code, response.get("Content-Type", ""), body.decode())
        if "html" in response.get("Content-Type", ""):
            for href in re.findall(r'href="([^"]+)"', bodies[url][2]):
                absolute = urljoin("http://testserver" + url, href.replace("&amp;", "&"))
                parts = urlsplit(absolute)
                if parts.netloc == "testserver":
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return bodies


def test_no_public_url_shows_anything_unpublished_or_any_staff_identity(desk, client):
    bodies = crawl(client, public_urls([claim.slug for claim in desk.values()]))

    assert len(bodies) > 40
    for url, (_status, _, body) in bodies.items():
        for what, secret in SECRETS.items():
            assert secret.lower() not in body.lower(), f"{url} shows the {what}"
        assert "@newsroom.example" not in body, url
    # Published content is there, so the crawl did read the real pages.
    everything = "".join(body for _, _, body in bodies.values())
    assert "Published rationale." in everything
    assert "Live rationale." in everything


def test_unpublished_and_withdrawn_claims_answer_404_everywhere(desk, client):
    for key in ("approved", "draft", "withdrawn"):
        slug = desk[key].slug
        for url in (
            f"/claims/{slug}/",
            f"/claims/{slug}/annotation.jsonld",
            f"/claims/{slug}/citations.csl.json",
            f"/api/claims/{slug}/",
        ):
            assert client.get(url).status_code == 404, url
    listed = client.get("/api/claims/?page_size=500").json()["results"]
    assert {claim["slug"] for claim in listed} == {
        desk["live"].slug,
        desk["pending"].slug,
        desk["hostile"].slug,
    }


def test_withdrawal_notice_gives_date_and_reason_only(desk, client):
    slug = desk["withdrawn"].slug
    page = client.get(f"/claims/{slug}/").content.decode()
    assert "The public reason for withdrawing it." in page
    api = client.get(f"/api/claims/{slug}/").json()
    assert api["detail"] == "This claim was withdrawn."
    assert api["reason"] == "The public reason for withdrawing it."
    assert set(api) == {"detail", "withdrawn_at", "reason"}


def test_pending_edit_leaves_the_published_revision_on_every_surface(desk, client):
    slug = desk["pending"].slug
    live = Claim.objects.get(slug=slug).live_revision
    assert client.get(f"/api/claims/{slug}/").json()["statement"] == live.statement
    assert client.get(f"/api/claims/{slug}/").json()["verdict"] == "mixed"
    assert live.statement in client.get(f"/claims/{slug}/").content.decode()


def test_hostile_stored_text_is_escaped_on_every_html_page(desk, client):
    bodies = crawl(client, public_urls([desk["hostile"].slug]))

    html_pages = {url: body for url, (_, kind, body) in bodies.items() if "html" in kind}
    assert len(html_pages) > 5
    for url, body in html_pages.items():
        assert "<script>alert" not in body, url
        assert "<img src=x" not in body, url
        # The only scripts are our JSON-LD blocks.
        for script in re.findall(r"<script\b[^>]*>", body):
            assert script == '<script type="application/ld+json">', url
    claim_page = html_pages[f"/claims/{desk['hostile'].slug}/"]
    assert "Hostile &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in claim_page
    # Inside JSON-LD, < and > are escaped so the text cannot close the script element.
    assert "Hostile \\u003Cscript\\u003Ealert" in claim_page


def test_hostile_text_survives_exactly_in_the_data_formats(desk, client):
    slug = desk["hostile"].slug
    api = client.get(f"/api/claims/{slug}/").json()
    assert api["statement"] == "Hostile " + HOSTILE
    passages = [c["passage"] for c in api["citations"]]
    assert "Passage " + HOSTILE in passages
    assert api["revisions"][1]["note"] == "Note " + HOSTILE
    feed = client.get("/corrections.atom").content.decode()
    assert "<script>" not in feed
    assert "Note &lt;script&gt;" in feed
