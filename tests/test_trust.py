"""The desk's promises, attacked at every layer (issue 10, parts A–D).

Nothing unreviewed reaches the public (slug, source); the published record
cannot be rewritten (queryset, base manager, fixtures, account deletion);
review state changes only through the workflow, in code too; and no write
is lost (every save checks the version it was loaded at).
"""

import json
import threading

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import ProtectedError

from factcheck import workflow
from factcheck.history import bulk_update_with_history, recorded_change
from factcheck.models import Claim, ClaimStatus, PublishedRevision, RevisionImmutable, Source
from factcheck.models.claims import WorkflowBypassRefused
from factcheck.models.versions import StaleWrite
from tests.factories import ClaimFactory, ReviewedClaimFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def published(**kwargs) -> Claim:
    claim = ReviewedClaimFactory(**kwargs)
    workflow.publish(claim, user=UserFactory(username="publisher", is_superuser=True))
    return Claim.objects.get(pk=claim.pk)


def republish(claim: Claim, newsroom, note="Renamed") -> Claim:
    """Take a pending edit through review and publish it."""
    return newsroom.publish(Claim.objects.get(pk=claim.pk), note=note)


def edit(claim: Claim, user, **changes) -> Claim:
    claim = Claim.objects.get(pk=claim.pk)
    for name, value in changes.items():
        setattr(claim, name, value)
    workflow.save_edit(claim, user=user, reason="Edited in a test")
    return Claim.objects.get(pk=claim.pk)


def public_surfaces(client, slug):
    """Status of the claim's page, its API answer, and whether the sitemap and CSV show it."""
    csv_text = b"".join(client.get("/claims.csv").streaming_content).decode()
    return {
        "page": client.get(f"/claims/{slug}/").status_code,
        "api": client.get(f"/api/claims/{slug}/").status_code,
        "annotation": client.get(f"/claims/{slug}/annotation.jsonld").status_code,
        "sitemap": f"/claims/{slug}/" in client.get("/sitemap.xml").content.decode(),
        "csv": f"/claims/{slug}/," in csv_text,
    }


# A. Nothing unreviewed reaches the public ------------------------------------------


def test_a1_a_renamed_slug_goes_live_only_when_published_and_old_slugs_redirect_forever(
    client, newsroom
):
    claim = published(slug="first-slug")
    edit(claim, newsroom.researcher, slug="second-slug")

    # The pending rename changes nothing public: the permalink still answers.
    assert public_surfaces(client, "first-slug") == {
        "page": 200,
        "api": 200,
        "annotation": 200,
        "sitemap": True,
        "csv": True,
    }
    assert public_surfaces(client, "second-slug") == {
        "page": 404,
        "api": 404,
        "annotation": 404,
        "sitemap": False,
        "csv": False,
    }

    claim = republish(claim, newsroom)
    assert public_surfaces(client, "second-slug")["page"] == 200
    assert public_surfaces(client, "second-slug")["sitemap"] is True
    for old, new in [
        ("/claims/first-slug/", "/claims/second-slug/"),
        ("/api/claims/first-slug/", "/api/claims/second-slug/"),
        ("/claims/first-slug/annotation.jsonld", "/claims/second-slug/annotation.jsonld"),
    ]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new)

    # A third name: both earlier slugs lead to the current page.
    claim = edit(claim, newsroom.researcher, slug="third-slug")
    republish(claim, newsroom, note="Renamed again")
    assert client.get("/claims/first-slug/")["Location"] == "/claims/third-slug/"
    assert client.get("/claims/second-slug/")["Location"] == "/claims/third-slug/"


def test_a1_no_other_claim_may_take_a_slug_that_was_published(newsroom):
    claim = published(slug="taken-once")
    edit(claim, newsroom.researcher, slug="moved-on")
    republish(claim, newsroom)
    other = ClaimFactory(slug="another")
    other.slug = "taken-once"
    with pytest.raises(Exception, match="Another claim was published under this slug"):
        other.full_clean()
    # Past validation (a script), publishing under it is still refused.
    with recorded_change(reason="Script"):
        other.save()
    with pytest.raises(workflow.StepRefused, match="keeps leading to it"):
        newsroom.publish(other)
    assert Claim.objects.get(pk=other.pk).live_revision_id is None


def test_a2_moving_a_published_claim_to_another_source_publishes_nothing_of_it(client, newsroom):
    claim = published()
    secret = SourceFactory(slug="secret-memo", title="Secret memo", text=claim.source.text)
    assert client.get("/sources/secret-memo/").status_code == 404
    edit(claim, newsroom.researcher, source=secret)

    assert client.get("/sources/secret-memo/").status_code == 404
    assert client.get("/sources/secret-memo/text.txt").status_code == 404
    assert "secret-memo" not in client.get("/api/sources/").content.decode()
    assert "Secret memo" not in client.get(f"/claims/{claim.slug}/").content.decode()
    assert client.get(f"/sources/{claim.source.slug}/").status_code == 200
    listed = client.get("/api/claims/", {"source": claim.source.slug}).json()
    assert [c["slug"] for c in listed["results"]] == [claim.slug]

    republish(claim, newsroom, note="Moved")
    assert client.get("/sources/secret-memo/").status_code == 200


def test_a2_a_revert_to_another_source_publishes_nothing_either(client, newsroom):
    claim = ClaimFactory()
    secret = SourceFactory(slug="secret-draft", text=claim.source.text)
    claim = edit(claim, newsroom.researcher, source=secret)
    claim = edit(claim, newsroom.researcher, source=SourceFactory(text=claim.source.text))
    claim = republish(claim, newsroom, note="")
    record = claim.history.filter(source_id=secret.pk).first()
    workflow.revert(claim, user=newsroom.researcher, record=record)
    assert Claim.objects.get(pk=claim.pk).source_id == secret.pk
    assert client.get("/sources/secret-draft/").status_code == 404


# B. The published record is immutable at every layer ----------------------------


def test_b_revisions_refuse_queryset_updates_bulk_updates_and_deletes():
    claim = published()
    revision = claim.live_revision
    with pytest.raises(RevisionImmutable):
        PublishedRevision.objects.filter(pk=revision.pk).update(statement="Rewritten")
    with pytest.raises(RevisionImmutable):
        PublishedRevision.objects.bulk_update([revision], ["statement"])
    with pytest.raises(RevisionImmutable):
        PublishedRevision.objects.filter(pk=revision.pk).delete()
    with pytest.raises(RevisionImmutable):
        PublishedRevision._base_manager.filter(pk=revision.pk).update(note="Quietly")
    with pytest.raises(RevisionImmutable, match="only by publishing"):
        PublishedRevision.objects.create(
            **{
                f.attname: getattr(revision, f.attname)
                for f in PublishedRevision._meta.concrete_fields
                if not f.primary_key
            }
            | {"number": 2}
        )
    revision.refresh_from_db()
    assert revision.statement == claim.statement and PublishedRevision.objects.count() == 1


def test_b_loaddata_of_a_published_revision_is_refused(tmp_path):
    claim = published()
    revision = claim.live_revision
    document = json.loads(serializers.serialize("json", [revision]))
    document[0]["fields"]["verdict"] = "false"
    overwrite = tmp_path / "overwrite.json"
    overwrite.write_text(json.dumps(document))
    document[0]["pk"] = None
    document[0]["fields"]["number"] = 2
    correction = tmp_path / "correction.json"
    correction.write_text(json.dumps(document))
    for fixture in (overwrite, correction):
        with pytest.raises((CommandError, RevisionImmutable), match="only by publishing"):
            call_command("loaddata", str(fixture), verbosity=0)
    # Django's own deserializer (a raw save) is refused too.
    (obj,) = serializers.deserialize("json", overwrite.read_text())
    with pytest.raises(RevisionImmutable):
        obj.save()
    assert list(PublishedRevision.objects.values_list("number", "verdict")) == [
        (1, revision.verdict)
    ]


def test_b_the_base_manager_writes_nothing_without_history():
    claim = published()
    with pytest.raises(Exception, match="writes no history"):
        Claim._base_manager.filter(pk=claim.pk).update(verdict="false", statement="Changed")
    with pytest.raises(Exception, match="writes no history"):
        Source._base_manager.filter(pk=claim.source_id).update(title="Changed")
    claim.refresh_from_db()
    assert claim.verdict != "false" and claim.statement != "Changed"


def test_b_deleting_an_assigned_account_is_refused_so_no_assignment_vanishes(newsroom):
    claim = ClaimFactory()
    workflow.assign(claim, user=newsroom.editor, assignee=newsroom.factchecker)
    with pytest.raises(ProtectedError):
        newsroom.factchecker.delete()
    claim.refresh_from_db()
    assert claim.assignee == newsroom.factchecker


# C. Review state changes only through the workflow, in code too ------------------


def test_c_an_outdated_copy_saved_after_a_withdrawal_does_not_republish(newsroom, client):
    claim = published()
    outdated = Claim.objects.get(pk=claim.pk)
    workflow.unpublish(claim, user=newsroom.editor, reason="Source retracted")
    outdated.notes = "Typo fixed"
    with pytest.raises(StaleWrite, match="after you loaded it"), recorded_change(reason="Script"):
        outdated.save()
    claim.refresh_from_db()
    assert claim.live_revision_id is None
    assert client.get(f"/claims/{claim.slug}/").status_code == 404


def test_c_setting_review_fields_on_a_partly_loaded_claim_is_refused():
    claim = ClaimFactory()
    partial = Claim.objects.only("statement").get(pk=claim.pk)
    partial.status, partial.verdict, partial.rationale = "published", "accurate", "Because"
    with pytest.raises(WorkflowBypassRefused), recorded_change(reason="Script"):
        partial.save()
    claim.refresh_from_db()
    assert (claim.status, claim.verdict, claim.rationale) == ("draft", "not_yet_rated", "")


def test_c_saving_a_history_records_instance_is_refused(newsroom):
    claim = newsroom.publish(ClaimFactory())
    first = claim.history.earliest("history_date")  # the draft, as first created
    assert first.status == ClaimStatus.DRAFT
    with pytest.raises(StaleWrite), recorded_change(reason="Script"):
        first.instance.save()
    latest = claim.history.latest("history_date")
    with pytest.raises(WorkflowBypassRefused), recorded_change(reason="Script"):
        latest.instance.save()
    fresh = Claim.objects.get(pk=claim.pk)
    assert (fresh.status, fresh.version, fresh.live_revision_id) == (
        ClaimStatus.PUBLISHED,
        claim.version,
        claim.live_revision_id,
    )


@pytest.mark.parametrize("column", ["assignee_id", "approved_by_id", "live_revision_id"])
def test_c_bulk_updates_by_column_name_are_refused(column, newsroom):
    claim = published()
    setattr(claim, column, newsroom.editor.pk if column != "live_revision_id" else None)
    with pytest.raises(WorkflowBypassRefused):
        bulk_update_with_history([claim], Claim, [column], reason="Script")


def test_c_words_under_review_cannot_be_changed_by_a_plain_save(newsroom):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    claim.statement = "Swapped while in review"
    with pytest.raises(WorkflowBypassRefused, match="locked"), recorded_change(reason="Script"):
        claim.save()


def test_c_a_claim_read_as_published_cannot_be_saved_back():
    claim = published()
    public_copy = Claim.objects.published().get(pk=claim.pk)
    with pytest.raises(WorkflowBypassRefused, match="read as published"):
        public_copy.save()


# D. No lost update anywhere -------------------------------------------------------


def test_d_a_stale_source_or_citation_copy_is_refused():
    claim = ClaimFactory()
    citation = claim.citations.get()
    for obj, field in ((claim.source, "title"), (citation, "note")):
        first = type(obj).objects.get(pk=obj.pk)
        second = type(obj).objects.get(pk=obj.pk)
        setattr(first, field, "First writer")
        setattr(second, field, "Second writer")
        with recorded_change(reason="First"):
            first.save()
        with pytest.raises(StaleWrite), recorded_change(reason="Second"):
            second.save()
        assert getattr(type(obj).objects.get(pk=obj.pk), field) == "First writer"


def test_d_bulk_updates_check_and_bump_versions():
    claim = ClaimFactory()
    source = Source.objects.get(pk=claim.source_id)
    stale = Source.objects.get(pk=source.pk)
    source.title = "Bulk title"
    bulk_update_with_history([source], Source, ["title"], reason="Script")
    assert Source.objects.get(pk=source.pk).version == stale.version + 1
    stale.title = "Stale admin page"
    with pytest.raises(StaleWrite):
        bulk_update_with_history([stale], Source, ["title"], reason="Stale")
    with pytest.raises(StaleWrite), recorded_change(reason="Stale"):
        stale.save()
    assert Source.objects.get(pk=source.pk).title == "Bulk title"


def test_d_a_second_tab_on_the_source_admin_cannot_undo_a_save(client, editor):
    from tests.test_admin import source_form

    source = SourceFactory(title="Original title")
    client.force_login(editor)
    url = f"/admin/factcheck/source/{source.pk}/change/"
    first_tab = source_form(source, title="First tab's fix", change_reason="Fix")
    second_tab = source_form(source, title="Second tab", change_reason="Other fix")
    assert client.post(url, first_tab).status_code == 302
    response = client.post(url, second_tab)
    assert response.status_code == 200
    assert "after you loaded it" in response.content.decode()
    assert Source.objects.get(pk=source.pk).title == "First tab's fix"


def test_d_a_second_tab_on_the_citation_admin_cannot_undo_a_save(client, researcher):
    from tests.test_review_admin import citation_form

    citation = ClaimFactory().citations.get()
    client.force_login(researcher)
    url = f"/admin/factcheck/citation/{citation.pk}/change/"
    stale = citation_form(citation, locator="p. 9")
    assert client.post(url, citation_form(citation, locator="p. 2")).status_code == 302
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "after you loaded it" in response.content.decode()
    assert type(citation).objects.get(pk=citation.pk).locator == "p. 2"


def test_d_a_revert_posted_after_someone_elses_save_is_refused(client, researcher):
    claim = ClaimFactory(statement="First words")
    claim = edit(claim, researcher, statement="Second words")
    oldest = claim.history.earliest("history_date")
    client.force_login(researcher)
    url = f"/admin/factcheck/claim/{claim.pk}/history/{oldest.history_id}/"
    page = client.get(url).content.decode()
    assert f'name="seen_version" value="{claim.version}"' in page
    edit(claim, researcher, statement="Someone else's fix")
    response = client.post(
        url, {"change_reason": "Back to the start", "seen_version": claim.version}, follow=True
    )
    assert "Not reverted" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).statement == "Someone else's fix"


def test_d_a_source_revert_posted_after_someone_elses_save_is_refused(client, editor):
    from tests.test_admin import source_form

    source = SourceFactory(title="First title")
    with recorded_change(reason="Second"):
        source.title = "Second title"
        source.save()
    oldest = source.history.earliest("history_date")
    client.force_login(editor)
    url = f"/admin/factcheck/source/{source.pk}/history/{oldest.history_id}/"
    assert f'name="seen_version" value="{source.version}"' in client.get(url).content.decode()
    seen = source.version
    with recorded_change(reason="Someone else's fix"):
        source.title = "Someone else's fix"
        source.save()
    stale_revert = source_form(source, title="First title", change_reason="Revert")
    stale_revert["seen_version"] = seen
    response = client.post(url, stale_revert)
    assert "after you loaded it" in response.content.decode()
    assert Source.objects.get(pk=source.pk).title == "Someone else's fix"
    # Based on the current version, the revert works.
    stale_revert["seen_version"] = source.version
    assert client.post(url, stale_revert).status_code == 302
    assert Source.objects.get(pk=source.pk).title == "First title"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_d_threads_saving_one_claim_lose_no_update():
    """Four threads save the same claim: every save that succeeds is kept."""
    claim = ClaimFactory()
    saved, refused = [], []

    def work(name):
        try:
            for n in range(25):
                copy = Claim.objects.get(pk=claim.pk)
                copy.notes = f"{name}-{n}"
                try:
                    with recorded_change(reason=f"{name} {n}"):
                        copy.save()
                    saved.append(copy.notes)
                except StaleWrite:
                    refused.append(copy.notes)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"t{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    final = Claim.objects.get(pk=claim.pk)
    assert len(saved) + len(refused) == 100 and saved
    assert final.version == 1 + len(saved)
    rows = list(final.history.order_by("history_id").values_list("notes", flat=True))
    assert rows[1:] == saved or sorted(rows[1:]) == sorted(saved)
    assert final.notes in saved
