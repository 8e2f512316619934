"""The front page: the latest fact-checks, and corrections and withdrawals in time order."""

import re
from html import unescape

import pytest

from factcheck import workflow
from factcheck.models import Claim
from factcheck.public import pages
from factcheck.ratings import Verdict
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def section(html: str, title_id: str) -> str:
    """The HTML of the front-page section headed by the element with id ``title_id``."""
    found = re.search(rf'<section aria-labelledby="{title_id}">(.*?)</section>', html, re.S)
    assert found, f"no section headed #{title_id}"
    return found.group(1)


def items(html: str) -> list[str]:
    """Each list item's visible text, in page order."""
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split())
        for item in re.findall(r"<li\b.*?</li>", html, re.S)
    ]


@pytest.fixture
def three(article):
    slugs = ["hundreds-subjected-to-torture", "report-documents-election-fraud"]
    claims = [Claim.objects.get(slug=slug) for slug in slugs]
    claims.append(Claim.objects.filter(source=article).exclude(slug__in=slugs).first())
    return claims


def test_corrections_and_withdrawals_are_one_list_newest_first(three, newsroom, client):
    first, second, third = (newsroom.publish(claim) for claim in three)
    newsroom.correct(first, verdict=Verdict.MIXED, rationale="Partly.", note="Oldest change.")
    newsroom.withdraw(second, reason="Middle change: published in error.")
    newsroom.correct(third, verdict=Verdict.MIXED, rationale="Partly.", note="Newest change.")

    changes = items(section(client.get("/").content.decode(), "changes-title"))

    assert len(changes) == 3
    assert "Newest change." in changes[0]
    assert "Middle change: published in error." in changes[1]
    assert "Oldest change." in changes[2]


def test_the_list_of_changes_keeps_only_the_newest(three, newsroom, client, monkeypatch):
    monkeypatch.setattr(pages, "LATEST_CHANGES", 2)
    first, second, third = (newsroom.publish(claim) for claim in three)
    newsroom.correct(first, verdict=Verdict.MIXED, rationale="Partly.", note="Oldest change.")
    newsroom.withdraw(second, reason="Middle change: published in error.")
    newsroom.correct(third, verdict=Verdict.MIXED, rationale="Partly.", note="Newest change.")

    changes = items(section(client.get("/").content.decode(), "changes-title"))

    assert len(changes) == 2
    assert "Newest change." in changes[0] and "Middle change" in changes[1]


def test_a_withdrawal_names_the_article_it_was_published_from(article, three, newsroom, client):
    withdrawn = newsroom.publish(three[0])
    newsroom.publish(three[1])  # keeps the article public
    newsroom.withdraw(withdrawn, reason="Published in error.")
    # The working copy moves to another source afterwards: the notice must not follow it.
    elsewhere = SourceFactory(title="A working-copy source", text=article.text)
    newsroom.edit(withdrawn, source=elsewhere)

    html = section(client.get("/").content.decode(), "changes-title")

    (notice,) = items(html)
    assert f"A claim on {article.title} was withdrawn" in notice
    assert "Published in error." in notice
    assert f'href="/sources/{article.slug}/"' in html
    assert "working-copy" not in html
    assert withdrawn.statement not in html  # only the date, the article and the reason


def test_a_withdrawal_names_an_article_no_longer_public_without_linking_it(
    article, three, newsroom, client
):
    withdrawn = newsroom.publish(three[0])
    newsroom.withdraw(withdrawn, reason="Published in error.")

    html = section(client.get("/").content.decode(), "changes-title")

    (notice,) = items(html)
    assert f"A claim on {article.title} was withdrawn" in notice
    assert f"/sources/{article.slug}/" not in html
    assert client.get(f"/sources/{article.slug}/").status_code == 404


def test_latest_fact_checks_are_the_most_recently_first_published_with_their_verdict(
    three, newsroom, client
):
    first = newsroom.publish(three[0], verdict=Verdict.ACCURATE)
    second = newsroom.publish(three[1], verdict=Verdict.MISLEADING)
    third = newsroom.publish(three[2], verdict=Verdict.UNVERIFIABLE)
    # A later correction does not make a fact-check new again.
    newsroom.correct(first, verdict=Verdict.MIXED, rationale="Partly.", note="Corrected.")

    html = section(client.get("/").content.decode(), "latest-title")

    checks = items(html)
    assert len(checks) == 3
    for shown, claim, label in zip(
        checks, (third, second, first), ("Unverifiable", "Misleading", "Mixed"), strict=True
    ):
        assert shown.startswith(claim.live_revision.statement), shown
        assert label in shown
    assert re.findall(r'href="/claims/([^/"]+)/"', html) == [third.slug, second.slug, first.slug]


def test_latest_fact_checks_show_what_was_published_not_the_working_copy(three, newsroom, client):
    claim = newsroom.publish(three[0], verdict=Verdict.ACCURATE)
    published_slug, published_statement = claim.slug, claim.statement
    newsroom.edit(claim, slug="a-new-working-slug", statement="A pending rewording")
    workflow.submit(claim, user=newsroom.researcher)
    claim.refresh_from_db()
    workflow.approve(
        claim,
        user=newsroom.factchecker,
        verdict=Verdict.INACCURATE,
        rationale="Approved, not yet published.",
        fidelity="not_applicable",
    )

    html = section(client.get("/").content.decode(), "latest-title")

    (shown,) = items(html)
    assert shown.startswith(published_statement) and "Accurate" in shown
    assert "Inaccurate" not in shown and "pending rewording" not in html
    assert f'href="/claims/{published_slug}/"' in html and "a-new-working-slug" not in html


def test_front_page_without_published_claims_has_no_fact_checks_or_changes(article, client):
    html = client.get("/").content.decode()
    assert "No fact-checks have been published yet." in section(html, "latest-title")
    assert "No corrections or withdrawals so far." in section(html, "changes-title")
