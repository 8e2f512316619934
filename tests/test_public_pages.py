"""What readers see on the public pages: only published revisions, in full."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import dateformat, timezone

from factcheck.models import Claim
from factcheck.ratings import DEFINITIONS, Verdict
from tests.conftest import ARTICLE_SLUG, publish_with_evidence
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's visible text, tags stripped and whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def torture(article, newsroom):
    return publish_with_evidence(newsroom, Verdict.MOSTLY_ACCURATE, "The report documents it.")


def test_front_page_lists_articles_with_counts_by_verdict_corrections_and_methodology(
    article, newsroom, client
):
    claims = list(Claim.objects.filter(source=article).order_by("pk")[:3])
    newsroom.publish(claims[0], verdict=Verdict.ACCURATE)
    newsroom.publish(claims[1], verdict=Verdict.ACCURATE)
    newsroom.publish(claims[2], verdict=Verdict.MISLEADING)
    newsroom.correct(
        claims[2],
        verdict=Verdict.MIXED,
        rationale="A second source confirms part of it.",
        note="A second source was found.",
    )

    response = client.get("/")

    assert response.status_code == 200
    text = text_of(response)
    assert article.title in text
    assert "3 published claims" in text
    counts = response.context["sources"][0].verdicts
    assert [(v.value, n) for v, n in counts] == [("accurate", 2), ("mixed", 1)]
    assert "verdict changed from Misleading to Mixed" in text
    assert "A second source was found." in text
    assert reverse("public:methodology") in response.content.decode()


def test_front_page_without_published_claims_says_so(article, client):
    response = client.get("/")
    assert "No claims have been published yet" in text_of(response)
    assert article.title not in text_of(response)


def test_claim_page_shows_quote_in_its_paragraph_verdict_evidence_and_permalink(torture, client):
    response = client.get(f"/claims/{torture.slug}/")

    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    revision = torture.live_revision
    assert revision.statement in text
    # The quote is highlighted inside its paragraph of the stored text.
    assert f"<mark>{revision.quote}</mark>" in html
    assert "Belarusian security forces responded" in text  # the paragraph's opening words
    assert f'href="/sources/{ARTICLE_SLUG}/#claim-{torture.slug}"' in html
    assert f"{revision.attributed_to}, in" in text
    assert "Mostly accurate" in text
    assert DEFINITIONS[Verdict.MOSTLY_ACCURATE] in text
    assert "The report documents it." in text
    # The evidence, cited in full.
    assert "Evidence Publisher." in text
    assert '<a href="https://evidence.example.org/doc"><cite>Evidence document</cite></a>' in html
    assert "Hundreds were tortured." in text
    assert "p. 4" in text and "Supports" in text
    assert "Permalink: http://testserver/claims/hundreds-subjected-to-torture/" in text
    assert (
        '<link rel="canonical" href="http://testserver/claims/hundreds-subjected-to-torture/">'
        in html
    )


def test_claim_page_revision_log_says_what_each_correction_changed_and_why(
    torture, newsroom, client
):
    newsroom.correct(
        torture,
        verdict=Verdict.ACCURATE,
        rationale="The report's annex lists the cases.",
        note="We found the annex listing the cases.",
    )

    response = client.get(f"/claims/{torture.slug}/")

    log = response.context["log"]
    assert [entry.revision.number for entry in log] == [1, 2]
    assert log[0].changes == ["First published as Mostly accurate."]
    assert log[1].changes[:2] == [
        "Verdict changed from Mostly accurate to Accurate.",
        "Rationale revised.",
    ]
    text = text_of(response)
    assert re.search(r"Revision 2 ?, published .* \(current\)", text)
    assert "Reason: We found the annex listing the cases." in text
    assert "Rationale before this revision The report documents it." in text
    assert response.context["revision"].number == 2


def test_claim_page_shows_the_published_revision_not_pending_edits(torture, newsroom, client):
    newsroom.edit(torture, statement="A reworded statement still in draft")

    text = text_of(client.get(f"/claims/{torture.slug}/"))

    assert torture.live_revision.statement in text
    assert "A reworded statement still in draft" not in text


def test_a_draft_claim_is_not_found(article, client):
    response = client.get("/claims/hundreds-subjected-to-torture/")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)


def test_a_withdrawn_claim_shows_only_a_notice_with_the_reason(torture, newsroom, client):
    newsroom.withdraw(torture, reason="The quote was attributed to the wrong speaker.")

    response = client.get(f"/claims/{torture.slug}/")

    assert response.status_code == 404
    text = text_of(response)
    assert "This claim was withdrawn" in text
    assert "The quote was attributed to the wrong speaker." in text
    assert torture.live_revision_id is None
    assert "systematically subjecting" not in text
    assert "Mostly accurate" not in text and "The report documents it." not in text
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_annotated_article_highlights_each_published_claim_and_links_it(article, newsroom, client):
    first, second = Claim.objects.filter(source=article).order_by("quote_start")[:2]
    newsroom.publish(first, verdict=Verdict.ACCURATE)
    newsroom.publish(second, verdict=Verdict.MISLEADING)

    response = client.get(f"/sources/{article.slug}/")

    html = response.content.decode()
    assert response.status_code == 200
    for claim in (first, second):
        assert f'id="claim-{claim.slug}"' in html
        assert f'href="/claims/{claim.slug}/"' in html
    key = [(verdict.value, count) for verdict, count in response.context["key"]]
    assert key == [("accurate", 1), ("misleading", 1)]
    # Every paragraph of the stored text is there, and only published claims are marked.
    assert len(re.findall(r'class="claim-anchor"', html)) == 2
    text = text_of(response)
    assert "Tens of thousands of people continue to demonstrate peacefully" in text
    assert response.context["annotated"].unplaced == []


def test_annotated_article_shows_its_headline_once_as_the_page_heading_with_its_claim(
    article, newsroom, client
):
    headline_claim = newsroom.publish(
        Claim.objects.get(slug="report-calls-for-international-torture-inquiry")
    )
    assert article.text.startswith(article.title + "\n\n")

    html = client.get(f"/sources/{article.slug}/").content.decode()

    body = html[html.index('<article class="annotated"') : html.index("</article>")]
    visible = " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())
    assert visible.count("Inquiry into Torture") == 1
    (heading,) = re.findall(r'<h1 id="source-title">(.*?)</h1>', body, re.S)
    assert f'id="claim-{headline_claim.slug}"' in heading
    assert f'href="/claims/{headline_claim.slug}/"' in heading
    assert "<mark>Expert Report Calls for International Inquiry into Torture</mark>" in heading
    assert html.count(f'id="claim-{headline_claim.slug}"') == 1
    claim_page = client.get(f"/claims/{headline_claim.slug}/").content.decode()
    assert f'href="/sources/{article.slug}/#claim-{headline_claim.slug}"' in claim_page


def test_annotated_article_keeps_a_first_paragraph_that_is_not_the_title(newsroom, client):
    source = SourceFactory(title="A title of our own")
    newsroom.publish(ClaimFactory(source=source, evidence=False))

    text = text_of(client.get(f"/sources/{source.slug}/"))

    assert "A title of our own" in text
    assert "Headline: Report finds abuses" in text


def _shown_time(moment, pattern="j F Y"):
    """A moment as the public pages show it: (its <time datetime>, its date)."""
    local = timezone.localtime(moment)
    return local.isoformat(timespec="seconds"), dateformat.format(local, pattern)


def _top_of_claim_page(response) -> str:
    html = response.content.decode()
    return html[html.index('<h1 id="claim-title"') : html.index('id="verdict-title"')]


def test_claim_page_says_when_it_was_first_published_near_the_top(torture, client):
    top = _top_of_claim_page(client.get(f"/claims/{torture.slug}/"))

    machine, shown = _shown_time(torture.live_revision.published_at)
    assert f'Published <time datetime="{machine}">{shown}</time>' in top
    assert "Updated" not in top


def test_claim_page_says_when_it_was_updated_after_a_correction(torture, newsroom, client):
    first_published = torture.live_revision.published_at
    newsroom.correct(torture, verdict=Verdict.ACCURATE, rationale="Annex.", note="The annex.")

    top = _top_of_claim_page(client.get(f"/claims/{torture.slug}/"))

    machine, shown = _shown_time(first_published)
    assert f'Published <time datetime="{machine}">{shown}</time>' in top
    machine, shown = _shown_time(torture.live_revision.published_at)
    assert f'Updated <time datetime="{machine}">{shown}</time>' in top


def test_annotated_article_lists_claims_whose_quote_no_longer_anchors_apart(
    torture, client, editor
):
    from factcheck.history import recorded_change

    source = torture.source
    source.text = source.text.replace("subjecting\u202fhundreds", "subjecting\u202fscores")
    with recorded_change(reason="Corrected capture", user=editor):
        source.save()

    response = client.get(f"/sources/{source.slug}/")

    annotated = response.context["annotated"]
    assert [c.slug for c in annotated.unplaced] == [torture.slug]
    assert 'id="unanchored"' in response.content.decode()
    claim_page = client.get(f"/claims/{torture.slug}/")
    assert "can no longer be placed in it with certainty" in text_of(claim_page)


def test_annotated_article_of_a_source_without_published_claims_is_not_found(article, client):
    assert client.get(f"/sources/{article.slug}/").status_code == 404


def test_methodology_explains_scale_four_eyes_and_corrections(client):
    response = client.get("/methodology/")
    text = text_of(response)
    for verdict, definition in DEFINITIONS.items():
        if verdict != Verdict.NOT_YET_RATED:
            assert verdict.label in text and definition in text
    assert "nobody may approve or publish a revision they wrote or changed" in text
    assert "nobody may publish a revision they approved" in text
    assert "Corrections policy" in text and "withdraw" in text


def test_unknown_address_answers_the_sites_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Nothing is published at this address" in text_of(response)


def test_server_error_page_renders_without_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


def test_robots_txt_points_at_the_sitemap_and_keeps_out_of_the_desk(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_sitemap_lists_published_claims_and_articles_only(torture, client):
    body = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver/claims/{torture.slug}/" in body
    assert f"http://testserver/sources/{ARTICLE_SLUG}/" in body
    assert "http://testserver/methodology/" in body
    assert body.count("/claims/") == 2  # the list page and the one published claim


def test_a_reworded_claim_says_what_it_said_before_on_the_page_the_feed_and_the_desk(
    torture, newsroom, client, editor
):
    old_wording = torture.live_revision.statement
    newsroom.edit(torture, reason="Plainer", statement="Hundreds of people were tortured")
    from factcheck import workflow
    from tests.test_review_admin import step_url

    workflow.submit(torture, user=newsroom.researcher)
    workflow.approve(
        torture,
        user=newsroom.factchecker,
        verdict=Verdict.MOSTLY_ACCURATE,
        rationale="The report documents it.",
        fidelity="not_applicable",
    )
    client.force_login(editor)
    publish_page = client.get(step_url(torture, workflow.Step.PUBLISH)).content.decode()
    assert "Wording of the claim" in publish_page and f"<del>{old_wording}</del>" in publish_page
    workflow.publish(torture, user=editor, note="Plainer wording.")
    client.logout()

    sentence = f"Wording of the claim revised; it was “{old_wording}”."
    log = client.get(f"/claims/{torture.slug}/").context["log"]
    assert log[1].changes == ["Verdict unchanged: Mostly accurate.", sentence]
    feed = client.get("/corrections.atom").content.decode()
    assert f"Verdict unchanged: Mostly accurate. {sentence} Reason: Plainer wording." in feed


def test_corrections_feed_has_corrections_and_withdrawals(torture, article, newsroom, client):
    newsroom.correct(
        torture, verdict=Verdict.ACCURATE, rationale="Annex.", note="The annex lists the cases."
    )
    other = newsroom.publish(
        Claim.objects.get(source=article, slug="report-documents-election-fraud")
    )
    newsroom.withdraw(other, reason="Published in error.")

    response = client.get("/corrections.atom")

    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert f"<title>Correction: {torture.live_revision.statement}</title>" in body
    assert (
        "Verdict changed from Mostly accurate to Accurate. Rationale revised. "
        "Reason: The annex lists the cases." in body
    )
    assert "A claim was withdrawn" in body and "Reason: Published in error." in body
    assert other.statement not in body


def test_print_stylesheet_and_phone_layout_exist(client):
    from django.contrib.staticfiles import finders

    css = Path(finders.find("factcheck/site.css")).read_text(encoding="utf-8")
    assert "@media print" in css
    assert "@media (max-width: 48rem)" in css
    assert ":focus-visible" in css


@pytest.fixture
def several(article, newsroom):
    claims = {
        c.slug: c
        for c in Claim.objects.filter(
            slug__in=[
                "hundreds-subjected-to-torture",
                "report-documents-election-fraud",
                "report-calls-for-international-torture-inquiry",
            ]
        )
    }
    newsroom.publish(
        claims["hundreds-subjected-to-torture"],
        verdict=Verdict.MISLEADING,
        rationale="Detention records disagree.",
    )
    newsroom.publish(
        claims["report-documents-election-fraud"],
        verdict=Verdict.ACCURATE,
        rationale="The observers' findings agree.",
    )
    newsroom.publish(
        claims["report-calls-for-international-torture-inquiry"],
        verdict=Verdict.UNVERIFIABLE,
        rationale="The report was not available.",
    )
    return claims


def slugs_on(response):
    return [claim.slug for claim in response.context["page"]]


def test_claim_list_filters_search_sort_and_keeps_them_in_the_url(several, client):
    assert len(slugs_on(client.get("/claims/"))) == 3
    assert slugs_on(client.get("/claims/?verdict=accurate")) == ["report-documents-election-fraud"]
    assert slugs_on(client.get("/claims/?kind=recommendation")) == [
        "report-calls-for-international-torture-inquiry"
    ]
    by_speaker = client.get("/claims/", {"attributed_to": "Human Rights Watch"})
    assert slugs_on(by_speaker) == ["hundreds-subjected-to-torture"]
    # Search covers the claim, the quote and the rationale.
    assert slugs_on(client.get("/claims/?q=observers")) == ["report-documents-election-fraud"]
    assert slugs_on(client.get("/claims/?q=ill-treatment")) == ["hundreds-subjected-to-torture"]
    assert slugs_on(client.get("/claims/?q=nothing+matches+this")) == []
    # Best first puts Unverifiable (not on the scale) last.
    assert slugs_on(client.get("/claims/?sort=best")) == [
        "report-documents-election-fraud",
        "hundreds-subjected-to-torture",
        "report-calls-for-international-torture-inquiry",
    ]
    response = client.get("/claims/?verdict=misleading&sort=newest")
    html = response.content.decode()
    assert '<option value="misleading" selected>' in html
    assert 'href="/claims.csv?verdict=misleading&amp;sort=newest"' in html
    assert 'href="/api/claims/?verdict=misleading&amp;sort=newest"' in html


def test_claim_list_explains_a_bad_filter(several, client):
    response = client.get("/claims/?verdict=false")
    assert response.status_code == 400
    text = text_of(response)
    assert "Some filters could not be used" in text
    assert "Verdict: Select a valid choice." in text
    assert slugs_on(response) == []


def test_claim_list_pages_keep_the_filters(article, newsroom, client, settings):
    from factcheck.public import pages
    from tests.bulk import publish_many

    publish_many(
        article,
        30,
        quote="the Belarusian government should cancel the results",
        start=article.text.index("the Belarusian government should cancel the results"),
        approver=newsroom.factchecker,
        publisher=newsroom.editor,
    )
    assert pages.CLAIMS_PER_PAGE == 25
    first = client.get("/claims/?sort=claim")
    assert len(first.context["page"]) == 25
    assert 'href="?sort=claim&amp;page=2"' in first.content.decode()
    second = client.get("/claims/?sort=claim&page=2")
    assert len(second.context["page"]) == 5
    assert client.get("/claims/?page=99").context["page"].number == 2


@pytest.mark.postgres_only
def test_search_on_postgresql_is_stemmed_full_text_ranked_by_relevance(several, client):
    # "disagreeing" finds "disagree" and "record" finds "records": English stemming.
    assert slugs_on(client.get("/claims/?q=disagreeing")) == ["hundreds-subjected-to-torture"]
    assert slugs_on(client.get("/claims/?q=record")) == ["hundreds-subjected-to-torture"]
    assert slugs_on(client.get('/claims/?q="election fraud" -inquiry')) == [
        "report-documents-election-fraud"
    ]
    assert set(slugs_on(client.get("/claims/?q=torture -fraud"))) == {
        "hundreds-subjected-to-torture",
        "report-calls-for-international-torture-inquiry",
    }


def _contrast(foreground: str, background: str = "#ffffff") -> float:
    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_text_and_verdict_colours_meet_wcag_aa_contrast():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("factcheck/site.css")).read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([\w-]+): (#[0-9a-f]{6});", css))
    # Verdict badges are white text on the verdict colour; text colours sit on white.
    for name in ("ink", "muted", "link", "brand", *[v.value for v in Verdict][1:]):
        assert _contrast(colours[name]) >= 4.5, name


@pytest.mark.postgres_only
def test_search_on_postgresql_reads_the_stored_indexed_words_not_every_revision(several):
    """A search is answered from the GIN index over each revision's stored words
    (migration 0012), so its cost follows the matches, not the archive."""
    from django.db import connection

    from factcheck.public.lookup import filtered

    request = RequestFactory().get("/claims/", {"q": "torture"})
    _, claims = filtered(request)
    sql, params = claims.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the tables are tiny here
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "revision_search" in plan


def _public_articles(count, newsroom):
    """``count`` articles, each with one published claim, the newest last."""
    from datetime import date, timedelta

    from tests.bulk import publish_many

    sources = []
    for day in range(count):
        source = SourceFactory(published_on=date(2024, 1, 1) + timedelta(days=day))
        quote = "Police detained thousands"
        publish_many(
            source,
            1,
            quote=quote,
            start=source.text.index(quote),
            approver=newsroom.factchecker,
            publisher=newsroom.editor,
            prefix=f"article-{source.pk}",
        )
        sources.append(source)
    return sources


def test_front_page_shows_the_latest_articles_and_links_to_all_of_them(newsroom, client):
    from factcheck.public.pages import LATEST_ARTICLES

    sources = _public_articles(LATEST_ARTICLES + 2, newsroom)

    text = text_of(client.get("/"))

    for source in sources[-LATEST_ARTICLES:]:
        assert source.title in text
    for source in sources[:2]:
        assert source.title not in text  # the oldest are on /sources/
    assert "All articles" in text


def test_the_articles_page_lists_every_public_article_a_page_at_a_time_newest_first(
    newsroom, client, django_assert_num_queries
):
    from django.core.cache import caches

    from factcheck.public.pages import ARTICLES_PER_PAGE

    sources = _public_articles(ARTICLES_PER_PAGE + 1, newsroom)
    hidden = SourceFactory(title="An article with nothing published")

    first, second = text_of(client.get("/sources/")), text_of(client.get("/sources/?page=2"))

    newest_first = [s.title for s in reversed(sources)]
    shown = [title for title in newest_first if title in first]
    assert shown == newest_first[:ARTICLES_PER_PAGE]
    assert newest_first[-1] in second and newest_first[-1] not in first
    assert "1 published claim" in first
    assert hidden.title not in first + second
    # One page of articles costs the same queries whatever the archive holds:
    # the public state, and the counts of the page's own articles.
    caches["default"].clear()
    client.get("/sources/?page=2")  # reads the list of articles once per state
    caches["default"].clear()
    with django_assert_num_queries(2):
        assert client.get("/sources/").status_code == 200


def test_the_claim_filters_list_the_newest_articles_and_still_accept_any(newsroom, client):
    from factcheck.public.filters import ClaimFilter

    listed = ClaimFilter.LISTED_SOURCES
    sources = _public_articles(listed + 2, newsroom)
    oldest, newest = sources[0], sources[-1]

    page = client.get("/claims/").content.decode()
    source_select = re.search(r'<select[^>]* name="source".*?</select>', page, re.S).group()
    assert source_select.count("<option") == 1 + listed  # "Any article" and the newest
    assert f'value="{newest.slug}"' in page
    assert f'value="{oldest.slug}"' not in page
    assert f"Lists the {listed} newest of {len(sources)} articles" in page

    chosen = client.get(f"/claims/?source={oldest.slug}")
    text = text_of(chosen)
    assert chosen.status_code == 200
    assert "1 claim." in text
    assert f'<option value="{oldest.slug}" selected>' in chosen.content.decode()
