"""Hostile or malformed requests get a clear 4xx answer, never a server error."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from factcheck import workflow
from factcheck.history import recorded_change
from factcheck.public.filters import MAX_SEARCH_LENGTH, MAX_SEARCH_WORDS
from factcheck.ratings import Verdict
from tests.conftest import publish_with_evidence
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

SEARCH_SURFACES = ["/claims/", "/api/claims/", "/claims.csv"]


@pytest.fixture
def published(article, newsroom):
    return publish_with_evidence(newsroom, Verdict.MOSTLY_ACCURATE, "The report documents it.")


def body_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("path", SEARCH_SURFACES)
def test_a_search_of_1100_words_is_refused_with_the_reason(published, client, path):
    response = client.get(path, {"q": " ".join(["torture"] * 1100)})

    assert response.status_code == 400
    body = body_of(response)
    assert f"Search for at most {MAX_SEARCH_WORDS} words" in body
    assert "this search has 1100" in body


@pytest.mark.parametrize("path", SEARCH_SURFACES)
def test_a_search_longer_than_the_limit_is_refused_with_the_reason(published, client, path):
    response = client.get(path, {"q": "t" * (MAX_SEARCH_LENGTH + 1)})

    assert response.status_code == 400
    assert f"at most {MAX_SEARCH_LENGTH} characters" in body_of(response)


@pytest.mark.parametrize("path", SEARCH_SURFACES)
def test_a_search_at_the_word_limit_still_answers(published, client, path):
    words = ["torture"] * (MAX_SEARCH_WORDS - 1) + ["hundreds"]

    response = client.get(path, {"q": " ".join(words)})

    assert response.status_code == 200
    assert published.slug in body_of(response)


def test_the_claims_page_shows_the_search_form_and_the_reason_with_its_400(published, client):
    response = client.get("/claims/", {"q": " ".join(["torture"] * 1100)})

    assert response.status_code == 400
    assert "Some filters could not be used" in body_of(response)
    assert response.context["page"].paginator.count == 0


# Admin -------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["claim", "source", "citation"])
def test_an_admin_history_address_with_a_version_that_is_not_a_number_is_not_found(
    client, superuser, claim, model
):
    obj = {"claim": claim, "source": claim.source, "citation": claim.citations.first()}[model]
    client.force_login(superuser)

    assert client.get(f"/admin/factcheck/{model}/{obj.pk}/history/abc/").status_code == 404
    assert client.post(f"/admin/factcheck/{model}/{obj.pk}/history/abc/").status_code == 404
    assert client.get(f"/admin/factcheck/{model}/abc/history/").status_code == 404


NUL_ADDRESSES = [
    "/admin/factcheck/claim/?q=%00",
    "/admin/factcheck/claim/?status=%00",
    "/admin/factcheck/claim/?status__exact=%00",
    "/admin/factcheck/claim/?attributed_to=%00",
    "/admin/factcheck/claim/?attributed_to__exact=x%00y",
    "/admin/factcheck/claim/?assignee=%00",
    "/admin/factcheck/claim/?%00=1",
    "/admin/factcheck/citation/?q=%00",
    "/admin/factcheck/citation/?stance__exact=%00",
    "/admin/factcheck/source/?q=%00",
    "/admin/factcheck/source/?publisher=%00",
    "/admin/factcheck/source/?publisher__exact=%00",
    "/admin/auth/user/?q=%00",
    "/admin/autocomplete/?term=%00&app_label=factcheck&model_name=citation&field_name=claim",
    "/admin/autocomplete/?term=%00&app_label=factcheck&model_name=claim&field_name=source",
    "/claims/?q=%00",
    "/claims/?attributed_to=%00",
    "/api/claims/?q=%00",
    "/claims.csv?q=%00",
]


def assert_nul_refused(client, superuser, address):
    client.force_login(superuser)
    response = client.get(address)
    assert response.status_code == 400
    assert "null character" in body_of(response)


@pytest.mark.parametrize("address", NUL_ADDRESSES)
def test_a_nul_byte_in_a_search_or_filter_is_a_clear_400(client, superuser, claim, address):
    assert_nul_refused(client, superuser, address)


@pytest.mark.postgres_only
@pytest.mark.parametrize("address", NUL_ADDRESSES)
def test_a_nul_byte_never_reaches_postgresql(client, superuser, claim, address):
    # PostgreSQL refuses NUL in text ("cannot contain NUL (0x00) bytes"): a 500 if it got there.
    assert_nul_refused(client, superuser, address)


@pytest.fixture
def moved_claim(researcher, claim):
    """A claim moved to another source, its first source deleted:
    (claim, its first version, the deleted source's title)."""
    first = claim.history.earliest("history_date")
    old_source = claim.source
    claim.source = SourceFactory(title="The new source")
    workflow.save_edit(claim, user=researcher, reason="Moved to the new source")
    with recorded_change(reason="Test: the old source is deleted"):
        old_source.citations.all().delete()
        old_source.delete()
    return claim, first, old_source.title


DELETED_SOURCE = (
    "That version cannot be shown or restored: it refers to the source “{}”, "
    "which was deleted since."
)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_claim_version_whose_source_was_deleted_is_refused_with_the_reason(
    client, researcher, moved_claim, method
):
    claim, first, old_title = moved_claim
    client.force_login(researcher)

    address = f"/admin/factcheck/claim/{claim.pk}/history/{first.history_id}/"
    response = getattr(client, method)(address, {"change_reason": "Bring back the first words"})

    history = f"/admin/factcheck/claim/{claim.pk}/history/"
    assert (response.status_code, response["Location"]) == (302, history)
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == DELETED_SOURCE.format(old_title)
    claim.refresh_from_db()
    assert claim.source.title == "The new source"
    assert client.get(history).status_code == 200


def test_the_workflow_refuses_to_revert_to_a_deleted_source(researcher, moved_claim):
    claim, first, _ = moved_claim

    with pytest.raises(workflow.StepRefused, match="quotes a source that was deleted"):
        workflow.revert(claim, user=researcher, record=first, reason="Back")


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_citation_version_whose_source_was_deleted_is_refused_with_the_reason(
    client, superuser, claim, method
):
    citation = claim.citations.first()
    first = citation.history.earliest("history_date")
    old_source = citation.source
    citation.source = SourceFactory(title="Another source")
    with workflow.editing(claim, user=superuser, reason="Cited another source"):
        citation.save()
    with recorded_change(reason="Test: the old source is deleted"):
        old_source.delete()
    client.force_login(superuser)

    address = reverse("admin:factcheck_citation_simple_history", args=[citation.pk, first.pk])
    response = getattr(client, method)(address, {"change_reason": "Back to the old source"})

    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == DELETED_SOURCE.format(old_source.title)
    citation.refresh_from_db()
    assert citation.source.title == "Another source"


@pytest.mark.parametrize(
    "query, parameter",
    [("page=abc", "page"), ("page=0", "page"), ("page_size=-1", "page_size")],
)
def test_a_malformed_api_page_is_a_400_naming_the_parameter(published, client, query, parameter):
    response = client.get(f"/api/claims/?{query}")
    assert response.status_code == 400
    assert response.json() == {
        parameter: [f"Must be a whole number, 1 or more (not {query.split('=')[1]!r})."]
    }


def test_an_api_page_past_the_last_is_not_found(published, client):
    assert client.get("/api/claims/?page=2").status_code == 404
    assert client.get("/api/claims/?page=last").status_code == 200


def test_an_oversized_form_post_is_refused_with_the_limit_and_saves_nothing(
    client, superuser, claim, settings
):
    from factcheck.models import Claim

    client.force_login(superuser)
    before = claim.history.count()
    address = reverse("admin:factcheck_claim_change", args=[claim.pk])
    megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    response = client.post(
        address,
        {"notes": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), "change_reason": "Big"},
    )
    assert response.status_code == 413
    assert f"larger than this site accepts in one form ({megabytes} MB)" in body_of(response)
    assert Claim.objects.get(pk=claim.pk).notes == claim.notes
    assert claim.history.count() == before


def test_a_form_post_with_too_many_fields_is_refused_with_the_limit(client, superuser, settings):
    client.force_login(superuser)
    fields = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(reverse("admin:factcheck_claim_changelist"), fields)
    assert response.status_code == 400
    assert (
        f"more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields, more than this site accepts"
        in body_of(response)
    )
