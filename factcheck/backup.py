"""Backup and restore: everything the tracker knows, history included, in one file.

``backup`` writes every row of the tracker's own tables (sources, claims,
citations, published revisions, review comments, fixture records, the public
state, every history row) and the accounts (users, groups, their
permissions) as gzipped JSON. Rows keep their ids, accounts too, so every
reference stays exact; groups (which migrations also make) are matched by
name, and permissions by app and codename, so a backup restores into any
database that the same migrations made.

The captured pages' files (WARC, in ``STORAGES["captures"]``) are evidence too:
the backup carries each one's bytes, and a restore writes them back under the
same names. A capture whose file is missing when the backup is made is named in
the backup and by the command, not silently left out.

``restore`` loads such a file into an empty, migrated database in one
transaction: everything or nothing. Rows come back exactly as they were; no
history row is added (the backup has them) and the guards against raw writes
stand aside (``history.restoring_backup``), because this is the record itself.
"""

import base64
import gzip
import json
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import connection, transaction

from factcheck.history import restoring_backup

FORMAT = "factcheck-backup"
VERSION = 1
# Rows that only say who may log in now, or how they last did: not part of the record.
LEFT_OUT = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


class RestoreRefused(Exception):
    """The file or the database is not fit for a restore; nothing was written."""


def backed_up_models() -> list:
    """Accounts first, then every model of the factcheck app (history included)."""
    ours = [
        model
        for model in apps.get_app_config("factcheck").get_models()
        if model._meta.label_lower not in LEFT_OUT
    ]
    return [Group, get_user_model(), *serializers.sort_dependencies([("factcheck", ours)])]


def _natural_primary(model) -> bool:
    # Groups are made by migrations too: match them by name. Everything else,
    # accounts included, keeps its id, so every reference to it stays exact.
    return model is Group


def dump(path) -> dict[str, int]:
    """Write the backup to ``path``; returns the number of rows per model."""
    counts, objects = {}, []
    with transaction.atomic():  # one consistent snapshot
        for model in backed_up_models():
            rows = model._base_manager.order_by("pk")
            counts[model._meta.label_lower] = rows.count()
            objects.extend(
                serializers.serialize(
                    "python",
                    rows,
                    use_natural_foreign_keys=True,
                    use_natural_primary_keys=_natural_primary(model),
                )
            )
        files, missing = _capture_files()
    document = {
        "format": FORMAT,
        "version": VERSION,
        "counts": counts,
        "objects": objects,
        "files": files,
        "missing_files": missing,
    }
    with gzip.open(path, "wt", encoding="utf-8") as file:
        json.dump(document, file, ensure_ascii=False, default=_exact)
    counts["capture files"] = len(files)
    if missing:
        counts["capture files MISSING from storage"] = len(missing)
    return counts


def _capture_files() -> tuple[dict[str, str], list[str]]:
    """Each capture's stored file, base64-encoded by name; and the names not found."""
    from factcheck.models import Capture

    files, missing = {}, []
    for capture in Capture._base_manager.order_by("pk"):
        name = capture.warc.name
        try:
            with capture.warc.storage.open(name, "rb") as stream:
                files[name] = base64.b64encode(stream.read()).decode("ascii")
        except FileNotFoundError:
            missing.append(name)
    return files, missing


def _write_capture_files(files: dict[str, str]) -> None:
    """Put the captures' files back under their own names (inside the restore's
    transaction: a file that cannot be written undoes the whole restore)."""
    from factcheck.models.captures import capture_storage

    storage = capture_storage()
    for name, encoded in files.items():
        payload = base64.b64decode(encoded)
        if storage.exists(name):
            with storage.open(name, "rb") as stream:
                if stream.read() == payload:
                    continue
            raise RestoreRefused(
                f"The capture storage already has a different file named {name}: "
                "restore into an empty capture storage."
            )
        saved = storage.save(name, ContentFile(payload))
        if saved != name:  # pragma: no cover (exists() was checked just above)
            raise RestoreRefused(f"The capture storage saved {name} as {saved}.")


def _exact(value):
    """JSON for what JSON lacks, losing nothing: Django's own JSON serializer keeps
    only milliseconds of a time, and a restore must give back every microsecond."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot be written to a backup")


def _read(path) -> dict:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as file:
            document = json.load(file)
    except (OSError, EOFError, ValueError) as error:
        raise RestoreRefused(
            f"{path} is not a backup made by `manage.py backup`: {error}"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RestoreRefused(f"{path} is not a backup made by `manage.py backup`.")
    if document.get("version") != VERSION:
        raise RestoreRefused(
            f"{path} is a backup of version {document.get('version')}; this release restores "
            f"version {VERSION}."
        )
    return document


def _refuse_unless_empty() -> None:
    from factcheck.models import Claim, Source

    taken = [
        name
        for name, model in (("users", get_user_model()), ("sources", Source), ("claims", Claim))
        if model._base_manager.exists()
    ]
    if taken:
        raise RestoreRefused(
            f"The database already has {', '.join(taken)}. Restore into an empty database "
            "(`manage.py migrate` on a new one), so nothing is mixed or overwritten."
        )


def load(path) -> dict[str, int]:
    """Restore ``path`` into this (empty, migrated) database; returns rows per model."""
    document = _read(path)
    counts = {}
    with transaction.atomic(), restoring_backup():
        _refuse_unless_empty()
        try:
            deferred = []
            for obj in serializers.deserialize(
                "python", document["objects"], handle_forward_references=True
            ):
                obj.save()
                if obj.deferred_fields:
                    deferred.append(obj)
                label = obj.object._meta.label_lower
                counts[label] = counts.get(label, 0) + 1
            for obj in deferred:
                obj.save_deferred_fields()
        except DeserializationError as error:
            raise RestoreRefused(f"{path} could not be read back: {error}") from None
        _write_capture_files(document.get("files") or {})
        models = backed_up_models()
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
    expected = {label: n for label, n in document["counts"].items() if n}
    if counts != expected:  # pragma: no cover (the transaction above is rolled back first)
        raise RestoreRefused(f"Restored {counts}, but the backup lists {expected}.")
    if files := document.get("files"):
        counts["capture files"] = len(files)
    return counts
