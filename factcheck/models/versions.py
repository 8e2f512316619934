"""Versions: no write is lost because someone else saved first.

Every tracked object carries a ``version`` that goes up by one with each save.
A save writes only if the row still has the version the object was loaded
at (``UPDATE … WHERE id = … AND version = …``); otherwise it is refused with
``StaleWrite``, whatever path it came from: the admin, a script holding an
old copy, a history record's ``instance.save()``, threads racing each other,
or a raw save. Bulk updates check and bump the versions too
(``factcheck.history.bulk_update_with_history``).
"""

from django.db import models, router
from django.utils import timezone


class StaleWrite(Exception):
    """The object changed in the database after this copy of it was loaded."""


def stale_message(obj, fresh, expected: int) -> str:
    """Who changed ``obj`` since version ``expected`` was loaded, for the person refused."""
    last = fresh.history.order_by("-history_date", "-history_id").first()
    who = (last.history_actor or "someone") if last else "someone"
    when = timezone.localtime(last.history_date if last else timezone.now())
    why = f" (“{last.history_change_reason}”)" if last and last.history_change_reason else ""
    return (
        f"{obj._meta.verbose_name.capitalize()} “{fresh}” was changed by {who} at "
        f"{when:%Y-%m-%d %H:%M:%S %Z}{why} after you loaded it (you had version "
        f"{expected}, it is now version {fresh.version}). Nothing of yours was saved and "
        "their changes are kept: reload it, check what changed, and try again."
    )


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up with every save; a save based on an older version is refused.",
    )

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.loaded_version = instance.__dict__.get("version")
        return instance

    def save_base(
        self, raw=False, force_insert=False, force_update=False, using=None, update_fields=None
    ):
        using = using or router.db_for_write(type(self), instance=self)
        stored = type(self)._base_manager.using(using)
        new = force_insert or self.pk is None
        if not new and self._state.adding:  # built with the pk of a stored row?
            new = not stored.filter(pk=self.pk).exists()
        if new:
            super().save_base(raw, force_insert, force_update, using, update_fields)
            self.loaded_version = self.version
            return
        if update_fields is not None:
            update_fields = frozenset(update_fields) | {"version"}
        # Checked first, outside the save's transaction, so a refusal leaves the
        # caller's transaction usable; the conditional UPDATE below closes the race.
        self._refuse_if_stale(stored)
        self._expected_version = self.version
        self.version += 1
        try:
            super().save_base(raw, force_insert, force_update, using, update_fields)
        except BaseException:
            self.version = self._expected_version
            raise
        finally:
            del self._expected_version
        self.loaded_version = self.version

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        expected = getattr(self, "_expected_version", None)
        if expected is None or not values:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        if base_qs.filter(pk=pk_val, version=expected)._update(values) > 0:
            return True
        self._refuse_if_stale(base_qs, expected)
        return False

    def _refuse_if_stale(self, base_qs, expected=None) -> None:
        expected = self.version if expected is None else expected
        fresh = base_qs.filter(pk=self.pk).only("version").first()
        if fresh is None:  # never bring back a deleted object from an old copy
            raise StaleWrite(
                f"{self._meta.verbose_name.capitalize()} “{self}” was deleted after you "
                "loaded it; nothing was saved."
            )
        if fresh.version != expected:
            raise StaleWrite(
                stale_message(self, type(self)._base_manager.get(pk=self.pk), expected)
            )
