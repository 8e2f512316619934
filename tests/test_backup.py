"""Backup and restore (issue 11): a round trip gives back every row exactly,
history included; a restore is all or nothing and never mixes data."""

import gzip

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from factcheck import backup
from factcheck.models import Claim, PublishedRevision
from tests.conftest import ARTICLE_FIXTURE
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db(transaction=True)


def everything() -> dict:
    """Every backed-up row, comparable across databases (accounts by name)."""
    User = get_user_model()
    rows = {}
    for model in backup.backed_up_models():
        if model in (User, Group):
            continue
        rows[model._meta.label_lower] = list(model._base_manager.order_by("pk").values())
    rows["users"] = [
        {
            **user,
            "groups": sorted(User.objects.get(pk=user["id"]).groups.values_list("name", flat=True)),
        }
        for user in User.objects.order_by("pk").values()
    ]
    rows["groups"] = {
        group.name: sorted(group.permissions.values_list("content_type__app_label", "codename"))
        for group in Group.objects.all()
    }
    return rows


def test_a_backup_restores_into_an_empty_database_exactly(newsroom, tmp_path):
    call_command("loaddata", ARTICLE_FIXTURE, verbosity=0)
    call_command("replay_decisions", ARTICLE_FIXTURE, verbosity=0)
    corrected = Claim.objects.get(slug="hundreds-subjected-to-torture")
    newsroom.correct(corrected, verdict="mostly_accurate", rationale="Fewer.", note="Annex.")
    newsroom.withdraw(
        Claim.objects.get(slug="report-documents-election-fraud"), reason="Published in error."
    )
    custom = Group.objects.create(name="Night desk")
    newsroom.editor.groups.add(custom)
    before = everything()
    assert PublishedRevision.objects.count() >= 45 and before["factcheck.historicalclaim"]

    path = tmp_path / "factcheck.json.gz"
    call_command("backup", str(path), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert not Claim.objects.exists()
    call_command("restore", str(path), verbosity=0)

    after = everything()
    for label in before:
        assert after[label] == before[label], label
    # The restored desk works on: a new claim gets a fresh id, not a restored one's.
    last = max(claim["id"] for claim in before["factcheck.claim"])
    assert ClaimFactory().pk > last


def test_a_restore_never_mixes_with_existing_data(newsroom, tmp_path):
    path = tmp_path / "factcheck.json.gz"
    call_command("backup", str(path), verbosity=0)
    with pytest.raises(CommandError, match=r"already has users.*Nothing was restored"):
        call_command("restore", str(path), verbosity=0)


@pytest.mark.parametrize(
    "content", [b"not gzip at all", gzip.compress(b"{}"), gzip.compress(b'{"format": "x"}')]
)
def test_a_file_that_is_not_a_backup_is_refused_with_the_reason(db, tmp_path, content):
    path = tmp_path / "bad.json.gz"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=r"not a backup made by `manage\.py backup`"):
        call_command("restore", str(path), verbosity=0)


def test_a_broken_backup_restores_nothing(newsroom, tmp_path):
    import json

    call_command("loaddata", ARTICLE_FIXTURE, verbosity=0)
    path = tmp_path / "factcheck.json.gz"
    call_command("backup", str(path), verbosity=0)
    document = json.loads(gzip.decompress(path.read_bytes()))
    document["objects"][-1]["fields"] = {"no_such_field": 1}
    document["objects"].insert(len(document["objects"]) // 2, {"model": "factcheck.nope"})
    path.write_bytes(gzip.compress(json.dumps(document).encode()))
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore", str(path), verbosity=0)
    assert not Claim.objects.exists() and not get_user_model().objects.exists()


def test_a_backup_carries_the_captured_pages_and_a_restore_puts_them_back(
    newsroom, tmp_path, settings
):
    """A capture is evidence: after a restore on a new machine (an empty capture
    storage), its file opens again, byte for byte."""
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    from factcheck.captures import storing
    from factcheck.models import Capture, Source

    call_command("loaddata", ARTICLE_FIXTURE, verbosity=0)
    pdf = (Path(__file__).parent / "data" / "captures" / "crazyones.pdf").read_bytes()
    source = Source.objects.exclude(url="").order_by("pk").first()
    storing.upload(
        source,
        SimpleUploadedFile("page.pdf", pdf),
        user=newsroom.editor,
        reason="Saved the cited page",
    )
    capture = Capture.objects.get()
    with capture.warc.open("rb") as stream:
        stored = stream.read()

    path = tmp_path / "factcheck.json.gz"
    call_command("backup", str(path), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    settings.STORAGES = {  # the new machine's capture storage: empty
        **settings.STORAGES,
        "captures": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "new-machine")},
        },
    }
    call_command("restore", str(path), verbosity=0)

    restored = Capture.objects.get()
    with restored.warc.open("rb") as stream:
        assert stream.read() == stored
    assert restored.payload() == pdf
