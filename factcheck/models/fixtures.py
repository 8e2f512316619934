"""What each fixture loaded, so that loading it again never undoes an editor's work.

For every object a fixture created or updated, a ``FixtureRecord`` keeps the
object's key and a digest of its content as the fixture left it. On the next
load the tracker can tell apart:

- an object nobody touched since (its content still has that digest): it
  follows the fixture, updated or retired when the fixture changes;
- an object an editor changed (another digest): it is kept as the editor left it;
- an object an editor deleted (a record but no object): it is not re-created.

The desk's recorded decisions (``replay_decisions``) are ledgered the same
way, so a decision is replayed once and never again, even after an editor
withdraws or corrects what it published.
"""

import hashlib
import json

from django.db import models


class FixtureRecord(models.Model):
    fixture = models.CharField(
        max_length=200, help_text="The fixture's label, e.g. belarus_hrw_2020."
    )
    model = models.CharField(max_length=100, help_text="e.g. factcheck.claim, or decision.")
    key = models.CharField(max_length=200)
    digest = models.CharField(
        max_length=64, help_text="SHA-256 of the object's content as the fixture left it."
    )
    retired = models.BooleanField(
        default=False, help_text="The fixture no longer has this object, and it was removed."
    )
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fixture", "model", "key"], name="fixture_record_unique"
            )
        ]

    def __str__(self):
        return f"{self.fixture}: {self.model} {self.key}"


AUTOMATIC_FIELDS = frozenset({"created_at", "updated_at"})


def content_digest(instance) -> str:
    """SHA-256 of an object's editable fields: what a fixture sets and an editor changes."""
    values = {
        field.attname: field.value_from_object(instance)
        for field in instance._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in AUTOMATIC_FIELDS
    }
    encoded = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
