"""The article fact-checked: the desk's decisions replayed, and what readers see of them."""

import csv
import io
import json

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.dateparse import parse_datetime

from factcheck import decisions, workflow
from factcheck.history import recorded_change
from factcheck.models import Citation, Claim, PublishedRevision
from factcheck.models.citations import DECISIVE_STANCES
from factcheck.ratings import FIDELITY_NEEDS_NOTE, Fidelity, Verdict
from tests.conftest import ARTICLE_CLAIMS, ARTICLE_FIXTURE, ARTICLE_SLUG, ROOT

pytestmark = pytest.mark.django_db
DECISIONS_PATH = ROOT / "fixtures" / f"{ARTICLE_FIXTURE}.decisions.json"
SYSTEMIC = "report-found-massive-and-systemic-violations"


def recorded():
    return json.loads(DECISIONS_PATH.read_text(encoding="utf-8"))["decisions"]


@pytest.fixture
def checked(article):
    """The article with the desk's decisions replayed, as `serve` leaves it."""
    call_command("replay_decisions", ARTICLE_FIXTURE, verbosity=0)
    return article


# The decisions --------------------------------------------------------------------


def test_every_claim_has_one_recorded_decision_on_the_published_scales():
    entries = recorded()
    assert len(entries) == ARTICLE_CLAIMS == len({e["claim"] for e in entries})
    for entry in entries:
        approved = entry["approved"]
        assert approved["verdict"] in Verdict.values and approved["verdict"] != "not_yet_rated"
        assert approved["fidelity"] in Fidelity.values and approved["fidelity"] != "not_yet_rated"
        assert approved["rationale"].strip(), entry["claim"]
        if approved["fidelity"] in FIDELITY_NEEDS_NOTE:
            assert approved["fidelity_note"].strip(), entry["claim"]


def test_every_claim_is_published_on_a_fresh_load_by_the_desks_role_accounts(checked):
    assert Claim.objects.published().count() == ARTICLE_CLAIMS
    dates = {e["claim"]: e for e in recorded()}
    for claim in Claim.objects.select_related("live_revision"):
        revision = claim.live_revision
        assert revision.number == 1, claim.slug
        assert revision.approved_by.username == "factchecker"
        assert revision.published_by.username == "editor"
        assert revision.approved_by != revision.published_by
        assert revision.approved_at == parse_datetime(dates[claim.key]["approved"]["at"])
        assert revision.published_at == parse_datetime(dates[claim.key]["published"]["at"])
        steps = list(claim.history.order_by("history_date", "history_id"))
        assert [(r.history_user and r.history_user.username) for r in steps] == [
            None,  # imported from the fixture by a command, no account involved
            "researcher",
            "factchecker",
            "editor",
        ]
        assert steps[2].history_change_reason.startswith(
            f"Approved as {Verdict(revision.verdict).label}"
        )
        for row in steps[1:]:
            assert "replayed from fixture belarus_hrw_2020.decisions.json" in (
                row.history_change_reason
            )
            assert "the desk's decision of 2026-11-26" in row.history_change_reason


def test_a_verdict_stands_on_cited_evidence_and_unverifiable_says_what_is_missing(checked):
    for claim in Claim.objects.select_related("live_revision"):
        revision = claim.live_revision
        decisive = [
            c for c in revision.citations if c["stance"] in DECISIVE_STANCES and c["passage"]
        ]
        if revision.verdict == Verdict.UNVERIFIABLE:
            # It says which evidence is missing.
            assert any(
                phrase in revision.rationale
                for phrase in ("would settle", "needs the report", "no source available to us")
            ), claim.slug
        else:
            assert decisive, claim.slug


def test_replaying_again_changes_nothing_and_never_republishes_a_withdrawal(checked):
    from django.contrib.auth import get_user_model

    claim = Claim.objects.get(slug="report-is-58-pages")
    workflow.unpublish(
        claim, user=get_user_model().objects.get(username="editor"), reason="Re-checking."
    )
    history = Claim.history.count()
    call_command("replay_decisions", ARTICLE_FIXTURE, verbosity=0)
    assert Claim.history.count() == history
    assert Claim.objects.published().count() == ARTICLE_CLAIMS - 1


def test_a_claim_whose_evidence_differs_from_what_was_reviewed_is_not_replayed(article):
    citation = Citation.objects.filter(claim__slug=SYSTEMIC).first()
    citation.passage = citation.passage.replace("systematic", "systemic")
    with recorded_change(reason="A careless edit"):
        citation.save()
    report = decisions.replay(ARTICLE_FIXTURE)
    assert (SYSTEMIC, "its words or evidence differ from what the desk reviewed") in (
        report.skipped
    )
    assert len(report.replayed) == ARTICLE_CLAIMS - 1
    assert not Claim.objects.get(slug=SYSTEMIC).live_revision_id


def test_a_malformed_decisions_file_is_refused_whole(article, tmp_path):
    entries = recorded()
    entries[-1]["approved"]["verdict"] = "probably"
    path = tmp_path / "bad.decisions.json"
    path.write_text(json.dumps({"decisions": entries}), encoding="utf-8")
    with pytest.raises(decisions.DecisionsInvalid, match="not a verdict on our scale"):
        decisions.replay(ARTICLE_FIXTURE, path=path)
    assert not PublishedRevision.objects.exists()  # nothing half-applied
    entries[0]["published"]["at"] = "2020-01-01T00:00:00Z"
    path.write_text(json.dumps({"decisions": entries}), encoding="utf-8")
    with pytest.raises(decisions.DecisionsInvalid, match="out of order"):
        decisions.replay(ARTICLE_FIXTURE, path=path)
    with pytest.raises(CommandError, match="No decisions file"):
        call_command("replay_decisions", "no_such_fixture")


def test_a_person_is_never_made_the_author_of_the_desks_decisions(article):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("editor", password="a-real-person-1")
    with pytest.raises(CommandError, match="not a role account"):
        call_command("replay_decisions", ARTICLE_FIXTURE, verbosity=0)
    assert not PublishedRevision.objects.exists()


def test_role_accounts_log_in_only_in_development(checked, settings, rf):
    login = rf.post("/admin/login/")  # the login throttle (django-axes) needs the request
    settings.DEBUG = True  # pytest-django turns DEBUG off
    call_command("create_demo_accounts")
    assert authenticate(login, username="editor", password="belarus-demo") is not None
    settings.DEBUG = False
    assert authenticate(login, username="editor", password="belarus-demo") is None
    settings.DEBUG, settings.PRODUCTION = True, True
    assert authenticate(login, username="factchecker", password="belarus-demo") is None


def test_a_recorded_decision_cannot_be_dated_in_the_future():
    from datetime import timedelta

    from django.utils import timezone

    with pytest.raises(workflow.StepRefused, match="in the future"):  # noqa: SIM117
        with workflow.recorded_decision(timezone.now() + timedelta(days=1), "test"):
            pass


# What readers see --------------------------------------------------------------------


def test_the_claim_page_shows_fidelity_and_the_two_texts_side_by_side(checked, client):
    html = client.get(f"/claims/{SYSTEMIC}/").content.decode()
    assert "Fidelity to its source:" in html
    assert '<span class="fidelity fidelity--wording_differs">Wording differs</span>' in html
    assert "What differs:</strong> “systemic” in the article; “systematic” in the report" in html
    assert "The article’s words and the original’s" in html
    assert '“massive and <em class="differs">systemic”</em>' in html
    assert 'massive and <em class="differs">systematic</em>' in html
    assert 'href="#evidence-1"' in html and 'id="evidence-1"' in html


def test_translations_stand_beside_passages_in_other_languages(checked, client):
    html = client.get("/claims/report-confirmed-systematic-torture/").content.decode()
    assert 'lang="fr"' in html
    assert "Our translation:</span> It speaks of “widespread and systematic" in html


def test_the_annotated_article_keys_verdicts_and_fidelity(checked, client):
    html = client.get(f"/sources/{ARTICLE_SLUG}/").content.decode()
    assert "Fidelity: does the article convey its source faithfully?" in html
    assert '<span class="fidelity fidelity--wording_differs">Wording differs</span>' in html
    assert '<p class="image-label">Photo credit</p>' in html
    assert f"{ARTICLE_CLAIMS} published claims" in html


def test_fidelity_is_in_the_csv_and_filters_the_lists(checked, client):
    body = b"".join(client.get("/claims.csv").streaming_content).decode("utf-8")
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(body.lstrip("\ufeff")))}
    assert len(rows) == ARTICLE_CLAIMS
    assert rows[SYSTEMIC]["fidelity"] == "wording_differs"
    assert "systematic" in rows[SYSTEMIC]["fidelity_note"]
    differing = client.get("/api/claims/?fidelity=wording_differs").json()
    assert SYSTEMIC in {c["slug"] for c in differing["results"]}
    assert {c["fidelity"] for c in differing["results"]} == {"wording_differs"}
    page = client.get("/claims/?fidelity=wording_differs").content.decode()
    assert "Fidelity to the source" in page


def test_the_methodology_explains_fidelity_evidence_and_stored_copies(checked, client):
    html = client.get("/methodology/").content.decode()
    assert 'id="fidelity"' in html and 'id="evidence"' in html
    for fidelity in Fidelity:
        if fidelity != Fidelity.NOT_YET_RATED:
            assert fidelity.label in html
    assert "the accessed date is the day we read the stored copy" in html
    assert "not independent evidence" in html
