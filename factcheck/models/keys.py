"""Keys: an identity for each source, claim and citation that never changes.

Editors may rename a claim's slug or a citation's locator; fixtures and
other imports still need to recognise the object as the one they loaded.
The key is set once, when the object is created (from the slug, unless the
fixture gives one), and is never changed afterwards, by any path.
"""

import uuid

from django.db import models

from factcheck.history import TrackedModel, TrackedQuerySet


class KeyChangeRefused(Exception):
    """Something tried to change the key of an existing object."""


class KeyedQuerySet(TrackedQuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)

    def prepare_bulk_create(self, objs) -> list:
        objs = super().prepare_bulk_create(objs)
        for obj in objs:
            if not obj.key:
                obj.key = obj.default_key()
        return objs

    def bulk_update(self, objs, fields, *args, **kwargs):
        self.model.check_bulk_update_fields(fields)
        return super().bulk_update(objs, fields, *args, **kwargs)


class KeyedModel(TrackedModel):
    key = models.CharField(
        max_length=150,
        unique=True,
        editable=False,
        help_text="Permanent identity, used by fixtures and imports; set once, never changed.",
    )

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_key = instance.__dict__.get("key")
        return instance

    def natural_key(self):
        return (self.key,)

    @classmethod
    def field_names(cls, fields) -> set[str]:
        """The names of ``fields``, given by name or by column ("assignee_id")."""
        return {cls._meta.get_field(field).name for field in fields}

    @classmethod
    def check_bulk_update_fields(cls, fields) -> None:
        """Refuse a bulk update of the key (before any write, so no transaction is spoilt)."""
        if "key" in cls.field_names(fields):
            raise KeyChangeRefused(f"The key of a {cls.__name__} never changes.")

    def default_key(self) -> str:
        """The key a new object gets when nobody chose one."""
        return uuid.uuid4().hex

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_key", None)
        if not self._state.adding and loaded is not None and self.key != loaded:
            raise KeyChangeRefused(
                f"The key of {self._meta.verbose_name} {loaded!r} never changes "
                f"(tried {self.key!r}); change its slug instead."
            )
        if not self.key:
            self.key = self.default_key()
        super().save(*args, **kwargs)
        self._loaded_key = self.key
