"""The public state: one row whose version goes up whenever what the public sees changes.

Publishing a revision, withdrawing a claim and editing a source each bump it,
in the same transaction as the change. Every public answer's ETag, and the key
under which its rendering is cached (``factcheck.public.caching``), derive
from this row, so a conditional request or a cached page costs one primary-key
read however large the archive is, and the first request after a change
commits never gets an answer from before it.
"""

from functools import cache
from typing import NamedTuple

from django.db import connection, models
from django.db.models import F
from django.utils import timezone

ROW = 1


class State(NamedTuple):
    version: int
    changed_at: object  # a datetime, or None before anything changed
    published_claims: int


class PublicState(models.Model):
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)
    published_claims = models.PositiveIntegerField(
        default=0, help_text="How many claims the public sees, counted at the last change."
    )

    class Meta:
        verbose_name = "public state"

    def __str__(self):
        return f"public state {self.version}"

    @classmethod
    def changed(cls) -> None:
        """Record that what the public sees changed (call inside the change's transaction)."""
        from factcheck.models.claims import Claim

        now = timezone.now()
        # The update locks the row first, so the count below sees every change
        # committed before this one: the last change to commit counts last.
        if not cls.objects.filter(pk=ROW).update(version=F("version") + 1, changed_at=now):
            cls.objects.get_or_create(pk=ROW, defaults={"version": 1, "changed_at": now})
        published = Claim.objects.published().count()
        cls.objects.filter(pk=ROW).update(published_claims=published)

    @classmethod
    def read(cls) -> State:
        """The version, when it last changed and how many claims are public: one
        primary-key read, written out once rather than compiled by the ORM on
        every request (it is the only query a cached page or a 304 makes)."""
        with connection.cursor() as cursor:
            cursor.execute(_read_sql(cls), [ROW])
            row = cursor.fetchone()
        if row is None:
            return State(0, None, 0)
        version, changed_at, published_claims = row
        convert = getattr(connection.ops, "convert_datetimefield_value", None)
        if convert is not None and changed_at is not None:  # SQLite keeps text
            changed_at = convert(changed_at, None, connection)
        return State(version, changed_at, published_claims)


@cache
def _read_sql(model) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in State._fields)
    return f"SELECT {columns} FROM {quote(model._meta.db_table)} WHERE {quote('id')} = %s"
