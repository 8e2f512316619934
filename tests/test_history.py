"""Every write path leaves a history record that says who and why."""

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from factcheck.history import (
    ChangeReasonRequired,
    HistoryBypassRefused,
    bulk_create_with_history,
    bulk_update_with_history,
    recorded_change,
)
from factcheck.models import Claim, ClaimKind, Source
from tests.factories import ClaimFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_save_without_a_reason_is_refused(source):
    source.title = "Renamed"
    with pytest.raises(ChangeReasonRequired, match="needs a reason"):
        source.save()
    source.refresh_from_db()
    assert source.title != "Renamed"


def test_recorded_change_attributes_user_reason_and_change():
    alice = UserFactory(username="alice")
    source = SourceFactory(title="Old title")
    source.title = "New title"
    with recorded_change(reason="Fixed the title", user=alice):
        source.save()
    latest, first = source.history.all()
    assert (latest.history_type, latest.history_user, latest.history_actor) == ("~", alice, "alice")
    assert latest.history_change_reason == "Fixed the title"
    (change,) = latest.diff_against(first).changes
    assert (change.field, change.old, change.new) == ("title", "Old title", "New title")


def test_each_save_must_state_its_own_reason(source):
    source._change_reason = "First edit"
    source.save()
    source.title = "Second edit without a reason"
    with pytest.raises(ChangeReasonRequired):
        source.save()


def test_writes_without_an_account_name_the_command_as_actor(source):
    (record,) = source.history.all()
    assert record.history_user is None
    assert "OS user" in record.history_actor
    assert record.history_change_reason == "Created by a test factory"


def test_delete_records_who_and_why(claim):
    pk = claim.pk
    with recorded_change(reason="Duplicate of another claim"):
        claim.delete()
    deleted = Claim.history.filter(id=pk).first()
    assert deleted.history_type == "-"
    assert deleted.history_change_reason == "Duplicate of another claim"


def test_queryset_delete_without_a_reason_is_refused(claim):
    with pytest.raises(ChangeReasonRequired), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).delete()
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_queryset_delete_inside_recorded_change_records_each_object(claim):
    with recorded_change(reason="Bulk clean-up"):
        Claim.objects.filter(pk=claim.pk).delete()
    assert Claim.history.filter(id=claim.pk, history_type="-").get().history_change_reason == (
        "Bulk clean-up"
    )


@pytest.mark.parametrize(
    "write",
    [
        lambda: Claim.objects.update(statement="x"),
        lambda: Claim.objects.bulk_create([Claim(slug="x")]),
        lambda: Claim.objects.bulk_update(list(Claim.objects.all()), ["statement"]),
        lambda: Source.objects.filter(pk__gt=0).update(title="x"),
    ],
    ids=["update", "bulk_create", "bulk_update", "filtered-update"],
)
def test_bulk_writes_that_skip_history_are_refused(claim, write):
    with pytest.raises(HistoryBypassRefused, match="writes no history"):
        write()


def test_bulk_helpers_write_one_history_row_per_object(source):
    editor = UserFactory(username="bulk-editor")
    claims = [
        Claim(
            source=source,
            slug=f"bulk-{n}",
            statement="s",
            quote="Police detained thousands",
            quote_start=source.text.index("Police detained thousands"),
            quote_end=source.text.index("Police detained thousands") + 25,
            attributed_to="x",
            kind=ClaimKind.STATISTIC,
        )
        for n in range(3)
    ]
    bulk_create_with_history(claims, Claim, reason="Bulk import", user=editor)
    created = list(Claim.objects.filter(slug__startswith="bulk-"))
    for claim in created:
        claim.attributed_to = "Checked"
    bulk_update_with_history(
        created, Claim, ["attributed_to"], reason="Bulk rationale", user=editor
    )
    rows = Claim.history.filter(slug__startswith="bulk-")
    assert sorted(rows.values_list("history_type", flat=True)) == ["+"] * 3 + ["~"] * 3
    assert set(rows.values_list("history_actor", flat=True)) == {"bulk-editor"}
    assert set(rows.values_list("history_change_reason", flat=True)) == {
        "Bulk import",
        "Bulk rationale",
    }


def test_raw_saves_of_djangos_deserializer_still_write_history():
    now = timezone.now()
    source = SourceFactory.build(slug="raw-source", created_at=now, updated_at=now)
    payload = serializers.serialize("json", [source])
    for obj in serializers.deserialize("json", payload):
        obj.save()  # raw save, as Django's own loaddata does
    (record,) = Source.history.filter(slug="raw-source")
    assert record.history_change_reason == "Raw save of fixture data (not validated)"


def test_shell_writes_without_a_reason_are_refused(claim):
    code = (
        f"from factcheck.models import Claim; c = Claim.objects.get(slug={claim.slug!r}); "
        "c.attributed_to = 'from the shell'; c.save()"
    )
    with pytest.raises(ChangeReasonRequired):
        call_command("shell", command=code)
    claim.refresh_from_db()
    assert claim.attributed_to == "Example Publisher"


def test_shell_writes_inside_recorded_change_are_recorded(claim):
    UserFactory(username="shell-user")
    code = (
        "from django.contrib.auth.models import User; from factcheck.models import Claim\n"
        f"c = Claim.objects.get(slug={claim.slug!r}); c.attributed_to = 'from the shell'\n"
        "with recorded_change(reason='Shell fix', user=User.objects.get(username='shell-user')):\n"
        "    c.save()\n"
    )
    call_command("shell", command=code)
    latest = claim.history.first()
    assert (latest.history_change_reason, latest.history_actor) == ("Shell fix", "shell-user")


def test_cascaded_citation_deletes_are_recorded_with_the_claims_reason():
    from tests.factories import CitationFactory

    citation = CitationFactory()
    with recorded_change(reason="Claim withdrawn"):
        citation.claim.delete()
    (deleted,) = citation.history.model.objects.filter(id=citation.pk, history_type="-")
    assert deleted.history_change_reason == "Claim withdrawn"


def test_factory_claims_have_exactly_one_creation_record():
    claim = ClaimFactory()
    (record,) = claim.history.all()
    assert record.history_type == "+"
