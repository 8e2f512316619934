"""Who changed what, and why: every write to a tracked model is recorded.

Every save or delete of a tracked model (Source, Claim, Citation) must say
why. The reason and the person come from, in order:

1. the object itself: ``obj._change_reason`` / ``obj._history_user``;
2. the surrounding ``recorded_change(reason=..., user=...)`` block;
3. for the user only, the logged-in user of the current request
   (django-simple-history's ``HistoryRequestMiddleware``).

A write with no reason is refused with ``ChangeReasonRequired``. Each history
row also stores ``history_actor``: the user's name, or the command that made
the change (``manage.py loaddata, OS user root``) when no account is involved.

``QuerySet.update()``, ``bulk_create()`` and ``bulk_update()`` write no history,
so they are refused on tracked models; use ``bulk_create_with_history`` and
``bulk_update_with_history`` from this module, or ``save()`` in a loop.
"""

import getpass
import os
import sys
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from simple_history import utils as history_utils
from simple_history.models import HistoricalRecords, ModelChange, ModelDelta
from simple_history.signals import pre_create_historical_record

from factcheck import bulk_rows


class ChangeReasonRequired(Exception):
    """A tracked object was written without saying why."""


class HistoryBypassRefused(Exception):
    """A bulk write that would leave no history was attempted."""


@dataclass(frozen=True)
class ChangeContext:
    reason: str
    user: object | None = None
    actor: str = ""


_current: ContextVar[ChangeContext | None] = ContextVar("factcheck_change", default=None)
_restoring: ContextVar[bool] = ContextVar("factcheck_restoring", default=False)


@contextmanager
def restoring_backup():
    """Rows written inside come from a backup, history included, as they were: no new
    history row is added, and the guards on raw saves stand aside. Used by ``restore``
    only, which refuses any database that is not empty."""
    token = _restoring.set(True)
    try:
        yield
    finally:
        _restoring.reset(token)


def restoring() -> bool:
    return _restoring.get()


_bulk_allowed: ContextVar[bool] = ContextVar("factcheck_bulk_allowed", default=False)


@contextmanager
def recorded_change(*, reason: str, user=None, actor: str = ""):
    """Attribute every tracked write inside the block to ``user`` with ``reason``.

    >>> with recorded_change(reason="Fix typo reported by reader", user=alice):
    ...     claim.save()
    """
    if not reason or not reason.strip():
        raise ChangeReasonRequired("recorded_change() needs a non-empty reason.")
    token = _current.set(ChangeContext(reason=reason.strip(), user=user, actor=actor))
    try:
        yield
    finally:
        _current.reset(token)


def describe_process() -> str:
    """Name the command that is writing, for rows with no user account."""
    argv = sys.argv or ["python"]
    program = os.path.basename(argv[0]) or "python"
    if program == "__main__.py":  # python -m package
        program = os.path.basename(os.path.dirname(argv[0])) or "python"
    command = program
    if program == "manage.py" and len(argv) > 1:
        command = f"manage.py {argv[1]}"
    try:
        os_user = getpass.getuser()
    except (KeyError, OSError):
        os_user = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return f"{command}, OS user {os_user}"


def stamp_change(instance) -> None:
    """Give ``instance`` the reason and user of this write, or refuse it."""
    context = _current.get()
    reason = getattr(instance, "_change_reason", None) or (context and context.reason)
    if not reason:
        raise ChangeReasonRequired(
            f"Saving or deleting {instance._meta.verbose_name} {instance!s} needs a "
            "reason for its history. Wrap the write in "
            "`with recorded_change(reason=..., user=...)` from factcheck.history, "
            "or set `obj._change_reason` before saving."
        )
    instance._change_reason = reason
    if not hasattr(instance, "_history_user") and context and context.user is not None:
        instance._history_user = context.user


def clear_stamp(instance) -> None:
    """Forget this write's reason so the next write must state its own."""
    for attribute in ("_change_reason", "_history_user"):
        instance.__dict__.pop(attribute, None)


class HistoricalActor(models.Model):
    """Extra column on every historical table: who acted, as readable text."""

    history_actor = models.CharField(
        "actor",
        max_length=200,
        blank=True,
        help_text="The user, or the command that made the change when no user did.",
    )

    class Meta:
        abstract = True


def tracked_history() -> HistoricalRecords:
    """The HistoricalRecords every tracked model uses."""
    return HistoricalRecords(bases=[HistoricalActor], cascade_delete_history=False)


class TrackedQuerySet(models.QuerySet):
    """Refuses the bulk writes that would leave no history behind."""

    def update(self, **kwargs):
        if _bulk_allowed.get():  # QuerySet.bulk_update() is built on update()
            return super().update(**kwargs)
        raise HistoryBypassRefused(
            f"{self.model.__name__}.objects.update() writes no history. Save each "
            "object inside `recorded_change(...)`, or use "
            "factcheck.history.bulk_update_with_history()."
        )

    def bulk_create(self, objs, *args, **kwargs):
        if not _bulk_allowed.get():
            raise HistoryBypassRefused(
                f"{self.model.__name__}.objects.bulk_create() writes no history; use "
                "factcheck.history.bulk_create_with_history()."
            )
        return super().bulk_create(self.prepare_bulk_create(objs), *args, **kwargs)

    def prepare_bulk_create(self, objs) -> list:
        """Check (and complete) new objects before a bulk insert; subclasses add rules."""
        return list(objs)

    def bulk_update(self, objs, *args, **kwargs):
        if not _bulk_allowed.get():
            raise HistoryBypassRefused(
                f"{self.model.__name__}.objects.bulk_update() writes no history; use "
                "factcheck.history.bulk_update_with_history()."
            )
        return super().bulk_update(objs, *args, **kwargs)


class TrackedModel(models.Model):
    """Base for models whose every write is recorded with who and why."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        stamp_change(self)
        try:
            super().save(*args, **kwargs)
        finally:
            clear_stamp(self)

    def delete(self, *args, **kwargs):
        stamp_change(self)
        try:
            return super().delete(*args, **kwargs)
        finally:
            clear_stamp(self)


@contextmanager
def _bulk_writes_allowed():
    token = _bulk_allowed.set(True)
    try:
        yield
    finally:
        _bulk_allowed.reset(token)


def _actor_for(user) -> str:
    return user.get_username() if user is not None else describe_process()


def bulk_create_with_history(
    objs, model, *, reason: str, user=None, batch_size=None, date=None, actor: str = ""
):
    """Create many objects at once, with one history row each (dated ``date``, or now).

    On PostgreSQL and SQLite the rows go in with one statement per table
    (``factcheck.bulk_rows``), after the same checks as the model's ``bulk_create``.
    """
    if not reason:
        raise ChangeReasonRequired("bulk_create_with_history() needs a reason.")
    if bulk_rows.supported(model):
        objs = model._default_manager.prepare_bulk_create(objs)
        with transaction.atomic():
            bulk_rows.insert(model, objs)
            bulk_rows.history_rows(
                model,
                objs,
                history_type="+",
                date=date or timezone.now(),
                user=user,
                reason=reason,
                actor=actor or _actor_for(user),
            )
        return objs
    with _bulk_writes_allowed():
        return history_utils.bulk_create_with_history(
            objs,
            model,
            batch_size=batch_size,
            default_user=user,
            default_change_reason=reason,
            default_date=date,
            custom_historical_attrs={"history_actor": actor or _actor_for(user)},
        )


def bulk_update_with_history(
    objs, model, fields, *, reason: str, user=None, batch_size=None, date=None, actor: str = ""
):
    """Update many objects at once, with one history row each (dated ``date``, or now)."""
    if not reason:
        raise ChangeReasonRequired("bulk_update_with_history() needs a reason.")
    fields = [model._meta.get_field(name).name for name in fields]  # "assignee_id" too
    check_fields = getattr(model, "check_bulk_update_fields", None)
    if check_fields is not None:  # before any write, so no transaction is spoilt
        check_fields(fields)
    objs = list(objs)
    with transaction.atomic(), _bulk_writes_allowed():
        if any(field.name == "version" for field in model._meta.concrete_fields):
            _check_and_bump_versions(objs, model)
            fields = [*fields, "version"]
        if bulk_rows.supported(model):
            auto_now = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", 0)]
            attnames = [model._meta.get_field(name).attname for name in {*fields, *auto_now}]
            updated = bulk_rows.update(model, objs, sorted(attnames))
            bulk_rows.history_rows(
                model,
                objs,
                history_type="~",
                date=date or timezone.now(),
                user=user,
                reason=reason,
                actor=actor or _actor_for(user),
            )
            after = getattr(model, "after_bulk_update", None)
            if after is not None:
                after()
            return updated
        updated = history_utils.bulk_update_with_history(
            objs,
            model,
            fields,
            batch_size=batch_size,
            default_user=user,
            default_change_reason=reason,
            default_date=date,
            custom_historical_attrs={"history_actor": actor or _actor_for(user)},
        )
        after = getattr(model, "after_bulk_update", None)
        if after is not None:
            after()
        return updated


def _check_and_bump_versions(objs, model) -> None:
    """Refuse the whole update if any object changed since it was loaded; else bump each."""
    from factcheck.models.versions import StaleWrite, stale_message

    current = dict(
        model._base_manager.select_for_update()
        .filter(pk__in=[obj.pk for obj in objs])
        .values_list("pk", "version")
    )
    for obj in objs:
        if current.get(obj.pk) != obj.version:
            fresh = model._base_manager.filter(pk=obj.pk).first()
            if fresh is None:
                raise StaleWrite(f"{model._meta.verbose_name} #{obj.pk} was deleted meanwhile.")
            raise StaleWrite(stale_message(obj, fresh, obj.version))
    for obj in objs:
        obj.version += 1


@receiver(pre_create_historical_record)
def _record_actor(sender, instance, history_instance, history_user, **kwargs):
    if history_instance.history_actor:
        return
    context = _current.get()
    if history_user is not None:
        history_instance.history_actor = history_user.get_username()
    elif context and context.actor:
        history_instance.history_actor = context.actor
    else:
        history_instance.history_actor = describe_process()


@receiver(pre_delete)
def _deletes_need_a_reason(sender, instance, **kwargs):
    # QuerySet.delete() and cascades bypass Model.delete(): stamp them here.
    if isinstance(instance, TrackedModel):
        stamp_change(instance)


@receiver(post_save)
def _raw_saves_write_history_too(sender, instance, created, raw, **kwargs):
    # django-simple-history skips raw saves (what Django's own loaddata does).
    # Ours still record one, so no path writes without history.
    if not (raw and isinstance(instance, TrackedModel)) or _restoring.get():
        return
    context = _current.get()
    reason = getattr(instance, "_change_reason", None) or (
        context.reason if context else "Raw save of fixture data (not validated)"
    )
    user = context.user if context else None
    history_utils.get_history_manager_for_model(sender).bulk_history_create(
        [instance],
        update=not created,
        default_user=user,
        default_change_reason=reason,
        custom_historical_attrs={"history_actor": (context and context.actor) or _actor_for(user)},
    )


# Bookkeeping that changes on every save: left out of history diffs.
NOT_DIFFED = frozenset({"created_at", "updated_at", "version"})


def diff(newer, older) -> ModelDelta:
    """What changed between two history rows, review fields included.

    django-simple-history's ``diff_against`` compares only fields that are
    editable in forms; status, verdict, assignee and the anchor are not, yet
    they are what a reader of the history most needs to see.
    """
    changes = []
    for field in older.tracked_fields:
        if field.name in NOT_DIFFED:
            continue
        old, new = getattr(older, field.attname), getattr(newer, field.attname)
        if old == new:
            continue
        if field.is_relation:  # show the related object, not its key
            old, new = (
                _related(record, field, key) for record, key in ((older, old), (newer, new))
            )
        elif field.choices:  # show "In review", not "in_review"
            labels = dict(field.flatchoices)
            old, new = labels.get(old, old), labels.get(new, new)
        changes.append(ModelChange(field.name, old, new))
    return ModelDelta(changes, [c.field for c in changes], older, newer)


def _related(record, field, key):
    if key is None:
        return None
    try:
        return getattr(record, field.name)
    except ObjectDoesNotExist:
        return f"{field.related_model._meta.verbose_name} #{key} (deleted)"
