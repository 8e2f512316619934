"""Upgrading an install: the data migrations that give existing objects their keys."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("factcheck", "0004_review_roles")]
AFTER = [("factcheck", "0008_mark_demo_accounts_as_role_accounts")]


@pytest.fixture(autouse=True)
def _back_to_the_latest_migrations():
    """Each test here leaves the schema where it stopped: migrate on to the latest."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def history_row(History, obj, reason, **fields):
    History.objects.create(
        id=obj.pk,
        history_date=timezone.now(),
        history_type="+",
        history_change_reason=reason,
        history_actor="test",
        **fields,
    )


def test_keys_come_from_first_slugs_and_only_untouched_fixture_objects_are_recorded():
    old = migrate(BEFORE)
    try:
        Source, Claim = old.get_model("factcheck", "Source"), old.get_model("factcheck", "Claim")
        HSource = old.get_model("factcheck", "HistoricalSource")
        HClaim = old.get_model("factcheck", "HistoricalClaim")
        User = old.get_model("auth", "User")
        now = timezone.now()
        source = Source.objects.create(
            slug="article",
            title="A",
            text="Police detained thousands.",
            created_at=now,
            updated_at=now,
            text_sha256="x",
        )
        history_row(
            HSource,
            source,
            "Imported from fixture demo",
            slug="article",
            title="A",
            text=source.text,
            created_at=now,
            updated_at=now,
            text_sha256="x",
        )
        claim_fields = {
            "source_id": source.pk,
            "statement": "s",
            "quote": "Police",
            "quote_start": 0,
            "quote_end": 6,
            "attributed_to": "a",
            "kind": "fact",
            "created_at": now,
            "updated_at": now,
        }
        renamed = Claim.objects.create(slug="new-name", **claim_fields)
        history_row(HClaim, renamed, "Imported from fixture demo", slug="old-name", **claim_fields)
        history_row(HClaim, renamed, "Renamed by an editor", slug="new-name", **claim_fields)
        untouched = Claim.objects.create(slug="untouched", **claim_fields)
        history_row(
            HClaim, untouched, "Imported from fixture demo", slug="untouched", **claim_fields
        )
        User.objects.create(username="editor", email="editor@localhost")
        User.objects.create(username="factchecker", email="someone@example.org")
    finally:
        new = migrate(AFTER)
    Claim = new.get_model("factcheck", "Claim")
    FixtureRecord = new.get_model("factcheck", "FixtureRecord")
    assert Claim.objects.get(slug="new-name").key == "old-name"  # recognised after a rename
    assert Claim.objects.get(slug="untouched").key == "untouched"
    assert set(FixtureRecord.objects.values_list("fixture", "model", "key")) == {
        ("demo", "factcheck.source", "article"),
        ("demo", "factcheck.claim", "untouched"),  # the renamed one is the editor's now
    }
    User = new.get_model("auth", "User")
    marked = set(
        User.objects.filter(groups__name="Role accounts").values_list("username", flat=True)
    )
    assert marked == {"editor"}  # a demo account; the other is someone's own


def test_addresses_that_are_not_web_are_moved_into_the_notes_before_the_constraint():
    old = migrate([("factcheck", "0009_versions_frozen_slug_and_source")])
    Source, Claim = old.get_model("factcheck", "Source"), old.get_model("factcheck", "Claim")
    Citation = old.get_model("factcheck", "Citation")
    now = timezone.now()
    times = {"created_at": now, "updated_at": now}
    hostile = Source.objects.create(
        key="h", slug="h", title="H", url="javascript:alert(1)", notes="Found online.", **times
    )
    fine = Source.objects.create(key="f", slug="f", title="F", url="https://example.org/", **times)
    claim = Claim.objects.create(
        key="c", slug="c", source=fine, kind="fact", quote="x", quote_start=0, quote_end=1, **times
    )
    citation = Citation.objects.create(
        key="k", claim=claim, source=hostile, stance="supports", archived_url=" data:x", **times
    )

    new = migrate([("factcheck", "0010_web_links")])

    Source, Citation = new.get_model("factcheck", "Source"), new.get_model("factcheck", "Citation")
    hostile, fine = Source.objects.get(pk=hostile.pk), Source.objects.get(pk=fine.pk)
    assert hostile.url == ""
    assert hostile.notes == (
        "Found online.\n\nAn address stored here was removed because it is not a web "
        "address (http or https), so it cannot be a link: 'javascript:alert(1)'"
    )
    assert (fine.url, fine.notes) == ("https://example.org/", "")
    citation = Citation.objects.get(pk=citation.pk)
    assert citation.archived_url == ""
    assert citation.note.endswith("so it cannot be a link: ' data:x'")


def test_published_revisions_get_the_slug_and_source_they_were_published_under():
    from datetime import timedelta

    old = migrate([("factcheck", "0008_mark_demo_accounts_as_role_accounts")])
    Source, Claim = old.get_model("factcheck", "Source"), old.get_model("factcheck", "Claim")
    HClaim = old.get_model("factcheck", "HistoricalClaim")
    Revision = old.get_model("factcheck", "PublishedRevision")
    User = old.get_model("auth", "User")
    now = timezone.now()
    times = {"created_at": now, "updated_at": now}
    first = Source.objects.create(key="first", slug="first", title="F", text="Police.", **times)
    second = Source.objects.create(key="second", slug="second", title="S", text="Police.", **times)
    fields = {
        "statement": "s",
        "quote": "Police",
        "quote_start": 0,
        "quote_end": 6,
        "attributed_to": "a",
        "kind": "fact",
        **times,
    }
    claim = Claim.objects.create(key="k", slug="renamed-later", source=second, **fields)
    # When it was published it was called "published-name" and came from the first source.
    for when, slug, source in [
        (now - timedelta(days=3), "published-name", first),
        (now - timedelta(days=1), "renamed-later", second),
    ]:
        HClaim.objects.create(
            id=claim.pk,
            key="k",
            slug=slug,
            source_id=source.pk,
            history_date=when,
            history_type="~",
            history_change_reason="edit",
            history_actor="test",
            **fields,
        )
    user = User.objects.create(username="ed")
    revision = Revision.objects.create(
        claim=claim,
        number=1,
        statement="s",
        quote="Police",
        quote_start=0,
        quote_end=6,
        attributed_to="a",
        kind="fact",
        verdict="accurate",
        rationale="r",
        note="First published.",
        approved_by=user,
        approved_at=now - timedelta(days=2),
        published_by=user,
        published_at=now - timedelta(days=2),
    )

    new = migrate([("factcheck", "0009_versions_frozen_slug_and_source")])

    revision = new.get_model("factcheck", "PublishedRevision").objects.get(pk=revision.pk)
    assert (revision.slug, revision.source_id) == ("published-name", first.pk)
