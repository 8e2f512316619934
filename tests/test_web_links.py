"""Stored addresses become links only if they are web addresses (http or https).

A ``javascript:`` address stored by a script, an import or ``loaddata`` would
run in the reader's browser once it is an ``href``. The models refuse such
addresses (validation and a database constraint), and the public pages link
only web addresses, even for rows stored before the rule or frozen in a
published revision.
"""

import json
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from factcheck import workflow
from factcheck.history import recorded_change
from factcheck.models import Citation, Claim, PublishedRevision, Source
from factcheck.ratings import Verdict
from factcheck.weblinks import is_web_url
from tests.conftest import publish_with_evidence
from tests.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db

HOSTILE_URLS = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://files.example.org/report.pdf",
    "//evil.example.org/",
    "https:/missing-host",
    "https://evil.example.org/\njavascript:alert(1)",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_only_http_and_https_addresses_count_as_web_links(url):
    assert not is_web_url(url)


@pytest.mark.parametrize(
    "url", ["https://www.hrw.org/news/2020/11/06/x", "http://example.org", "HTTPS://EXAMPLE.ORG/"]
)
def test_web_addresses_are_web_links(url):
    assert is_web_url(url)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org/"])
def test_model_validation_refuses_a_source_or_archive_address_that_is_not_http(url, claim):
    source = Source(slug="s", title="S", url=url)
    with pytest.raises(ValidationError) as refused:
        source.full_clean()
    assert "http:// or https://" in str(refused.value.message_dict["url"])

    citation = Citation(claim=claim, source=SourceFactory(), stance="supports", archived_url=url)
    with pytest.raises(ValidationError) as refused:
        citation.full_clean()
    assert "http:// or https://" in str(refused.value.message_dict["archived_url"])


def test_the_database_refuses_a_javascript_address_written_by_the_orm(claim):
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(url="javascript:alert(1)")
    with pytest.raises(IntegrityError), transaction.atomic():
        CitationFactory(claim=claim, archived_url="javascript:alert(1)")
    SourceFactory(url="https://example.org/")  # a web address is stored
    SourceFactory(url="")  # so is none


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example.org/report.pdf"])
def test_loaddata_refuses_a_fixture_with_an_address_that_is_not_http(db, tmp_path, url):
    fixture = tmp_path / "hostile.json"
    fields = {"key": "hostile", "slug": "hostile", "title": "Hostile", "url": url, "kind": "other"}
    fixture.write_text(json.dumps([{"model": "factcheck.source", "fields": fields}]))

    with pytest.raises(CommandError) as refused:
        call_command("loaddata", str(fixture), verbosity=0)

    assert "url: Enter a web address that starts with http:// or https://" in str(refused.value)
    assert not Source.objects.filter(slug="hostile").exists()


@contextmanager
def stored_before_the_rule():
    """Let raw writes through the URL constraints, as a database from before them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks before ALTER
            for table, name in [
                (Source._meta.db_table, "source_url_web"),
                (Citation._meta.db_table, "citation_archived_url_web"),
            ]:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{name}"')
        try:
            yield cursor
        finally:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
            else:
                # Back to how Django declares its foreign keys: initially deferred.
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture
def hostile_links(article, newsroom):
    """A published claim whose article, evidence and frozen revision hold javascript: URLs."""
    claim = publish_with_evidence(newsroom, Verdict.MOSTLY_ACCURATE, "The report documents it.")
    hostile = "javascript:alert(document.cookie)"
    revision = claim.live_revision
    citations = [{**c, "url": hostile, "archived_url": hostile} for c in revision.citations]
    evidence = Source.objects.get(slug="evidence-doc")
    with stored_before_the_rule() as cursor:
        cursor.execute(
            f"UPDATE {Source._meta.db_table} SET url = %s WHERE id IN (%s, %s)",
            [hostile, article.pk, evidence.pk],
        )
        cursor.execute(
            f"UPDATE {Citation._meta.db_table} SET archived_url = %s WHERE claim_id = %s",
            [hostile, claim.pk],
        )
        cursor.execute(
            f"UPDATE {PublishedRevision._meta.db_table} SET citations = %s WHERE id = %s",
            [json.dumps(citations), revision.pk],
        )
    return Claim.objects.get(pk=claim.pk)


def test_claim_page_links_no_javascript_address(hostile_links, client):
    response = client.get(hostile_links.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Evidence document" in html
    assert 'href="javascript:' not in html
    assert 'cite="javascript:' not in html
    assert "Archived copy" not in html
    # The ClaimReview falls back to our own copy of the article.
    assert '"javascript:' not in html


def test_annotated_article_links_no_javascript_address(hostile_links, client):
    response = client.get(reverse("public:source", args=[hostile_links.source.slug]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "javascript:" not in html
    assert ">Original</a>" not in html


@pytest.mark.parametrize(
    "name", ["public:claim-annotation", "public:claim-citations-csl", "public:source-csl"]
)
def test_data_formats_carry_no_javascript_address(hostile_links, client, name):
    slug = hostile_links.source.slug if name == "public:source-csl" else hostile_links.slug
    response = client.get(reverse(name, args=[slug]))

    assert response.status_code == 200
    assert "javascript:" not in response.content.decode()


def test_csv_export_carries_no_javascript_address(hostile_links, client):
    response = client.get(reverse("public:claims-csv"))

    body = b"".join(response.streaming_content).decode()
    assert hostile_links.slug in body
    assert "javascript:" not in body


def test_a_web_address_is_still_a_link(article, newsroom, client):
    claim = publish_with_evidence(newsroom, Verdict.MOSTLY_ACCURATE, "The report documents it.")
    citation = claim.citations.get(source__slug="evidence-doc")
    citation.archived_url = "https://web.archive.org/web/2020/https://evidence.example.org/doc"
    with workflow.editing(claim, user=newsroom.researcher, reason="Archived copy"):
        citation.save()
    claim = newsroom.publish(
        claim, verdict=Verdict.MOSTLY_ACCURATE, note="Added an archived copy of the evidence."
    )

    html = client.get(claim.get_absolute_url()).content.decode()

    assert '<a href="https://evidence.example.org/doc"><cite>Evidence document</cite></a>' in html
    assert '<a href="https://web.archive.org/web/2020/https://evidence.example.org/doc">' in html
    article.url = "https://article.example.org/report"
    with recorded_change(reason="Test: the article's address"):
        article.save()
    source_page = client.get(reverse("public:source", args=[article.slug])).content.decode()
    assert '<a href="https://article.example.org/report">Original</a>' in source_page
