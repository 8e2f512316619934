"""Staff who may view citations but not claims never see a claim's statement.

A citation belongs to a claim; the citation pages of the admin named the
claim by its statement, so a view_citation permission alone showed every
claim's words, drafts included.
"""

import pytest
from django.contrib.auth.models import Permission

from factcheck import workflow
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

STATEMENT = "SECRET-STATEMENT of a draft claim"
OTHER_STATEMENT = "OTHER-SECRET statement of a second draft"


def staff_with(*codenames):
    user = UserFactory(username="-".join(codenames))
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="factcheck", codename__in=codenames)
    )
    return user


@pytest.fixture
def citation(superuser):
    claim = ClaimFactory(statement=STATEMENT)
    other = ClaimFactory(statement=OTHER_STATEMENT, source=claim.source, evidence=False)
    citation = claim.citations.get()
    # Moved to another claim once, so its history holds a change of claim.
    citation.claim = other
    with workflow.editing(other, user=superuser, reason="Moved"):
        citation.save()
    return citation


def pages(citation):
    first = citation.history.earliest("history_date")
    return [
        "/admin/",
        "/admin/factcheck/citation/",
        f"/admin/factcheck/citation/{citation.pk}/change/",
        f"/admin/factcheck/citation/{citation.pk}/history/",
        f"/admin/factcheck/citation/{citation.pk}/history/{first.history_id}/",
    ]


@pytest.mark.parametrize(
    "codenames", [("view_citation",), ("view_citation", "view_source", "change_citation")]
)
def test_citation_pages_show_no_claim_statement_without_view_claim(client, citation, codenames):
    client.force_login(staff_with(*codenames))

    for address in pages(citation):
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        assert STATEMENT not in html, address
        assert OTHER_STATEMENT not in html, address
    listing = client.get("/admin/factcheck/citation/").content.decode()
    assert f"claim #{citation.claim_id}" in listing


def test_search_by_claim_statement_finds_nothing_without_view_claim(client, citation):
    client.force_login(staff_with("view_citation"))

    response = client.get("/admin/factcheck/citation/", {"q": "OTHER-SECRET"})

    assert response.context["cl"].result_count == 0


def test_claim_autocomplete_is_refused_without_view_claim(client, citation):
    client.force_login(staff_with("view_citation", "change_citation"))

    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "factcheck", "model_name": "citation", "field_name": "claim", "term": "S"},
    )

    assert response.status_code == 403
    assert STATEMENT not in response.content.decode()


def test_staff_who_may_view_claims_still_see_them_on_citations(client, citation):
    client.force_login(staff_with("view_citation", "view_claim"))

    listing = client.get("/admin/factcheck/citation/").content.decode()
    assert OTHER_STATEMENT in listing
    found = client.get("/admin/factcheck/citation/", {"q": "OTHER-SECRET"})
    assert found.context["cl"].result_count == 1
    history = client.get(f"/admin/factcheck/citation/{citation.pk}/history/").content.decode()
    assert STATEMENT in history and OTHER_STATEMENT in history
