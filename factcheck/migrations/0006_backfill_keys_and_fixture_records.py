"""Give every existing source, claim and citation its permanent key, and
record which of them a fixture loaded and nobody has changed since.

A claim's key is the slug it was first saved with (from its history), so a
claim an editor renamed is still recognised by the fixture that loaded it.
Objects whose every history row was written by a fixture get a
FixtureRecord, so that loading a newer version of that fixture updates or
retires them; anything an editor touched is left to the editor.

The digest below is a frozen copy of factcheck.models.fixtures.content_digest
as it was when this migration was written.
"""

import hashlib
import json
import re

from django.db import migrations

FIXTURE_REASON = re.compile(r"^(?:Imported|Updated) from fixture (?P<label>\S+)$")
AUTOMATIC_FIELDS = {"created_at", "updated_at"}


def digest(instance) -> str:
    values = {
        field.attname: field.value_from_object(instance)
        for field in instance._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in AUTOMATIC_FIELDS
    }
    encoded = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def first_slugs(History):
    """The slug each object was first saved with, by object id."""
    first = {}
    for row in History.objects.order_by("history_date", "history_id").values("id", "slug"):
        first.setdefault(row["id"], row["slug"])
    return first


def assign_slug_keys(Model, History):
    first = first_slugs(History)
    objects = list(Model.objects.order_by("pk"))
    current = {obj.slug for obj in objects}
    taken = set()
    for obj in objects:
        key = first.get(obj.pk, obj.slug)
        # A later object may have taken this claim's original slug: that one keeps it.
        if key in taken or (key != obj.slug and key in current):
            key = obj.slug
        taken.add(key)
        Model.objects.filter(pk=obj.pk).update(key=key)
    keys = dict(Model.objects.values_list("pk", "key"))
    for row in History.objects.filter(key__isnull=True).only("history_id", "id", "slug"):
        History.objects.filter(history_id=row.history_id).update(key=keys.get(row.id, row.slug))
    return keys


def record_fixture_objects(apps, Model, History, model_label):
    FixtureRecord = apps.get_model("factcheck", "FixtureRecord")
    reasons = {}
    for object_id, reason in History.objects.values_list("id", "history_change_reason"):
        reasons.setdefault(object_id, []).append(reason or "")
    for obj in Model.objects.all():
        matches = [FIXTURE_REASON.match(reason) for reason in reasons.get(obj.pk, [])]
        labels = {match["label"] if match else None for match in matches}
        if len(labels) == 1 and None not in labels:
            FixtureRecord.objects.get_or_create(
                fixture=labels.pop(),
                model=model_label,
                key=obj.key,
                defaults={"digest": digest(obj)},
            )


def backfill(apps, schema_editor):
    Source = apps.get_model("factcheck", "Source")
    Claim = apps.get_model("factcheck", "Claim")
    Citation = apps.get_model("factcheck", "Citation")
    HistoricalSource = apps.get_model("factcheck", "HistoricalSource")
    HistoricalClaim = apps.get_model("factcheck", "HistoricalClaim")
    HistoricalCitation = apps.get_model("factcheck", "HistoricalCitation")

    source_keys = assign_slug_keys(Source, HistoricalSource)
    claim_keys = assign_slug_keys(Claim, HistoricalClaim)
    citation_keys = {}
    for citation in Citation.objects.order_by("pk"):
        parts = [claim_keys[citation.claim_id], source_keys[citation.source_id], citation.locator]
        key = "/".join(filter(None, parts))[:150]
        if key in citation_keys.values():
            key = f"{key[:130]}/{citation.pk}"
        citation_keys[citation.pk] = key
        Citation.objects.filter(pk=citation.pk).update(key=key)
    for row in HistoricalCitation.objects.filter(key__isnull=True).only("history_id", "id"):
        key = citation_keys.get(row.id, f"deleted-citation-{row.id}")
        HistoricalCitation.objects.filter(history_id=row.history_id).update(key=key)

    record_fixture_objects(apps, Source, HistoricalSource, "factcheck.source")
    record_fixture_objects(apps, Claim, HistoricalClaim, "factcheck.claim")
    record_fixture_objects(apps, Citation, HistoricalCitation, "factcheck.citation")


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0005_fidelity_and_fixture_identity")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
