"""Published claims that say nearly the same thing (factcheck/similar.py): on
PostgreSQL, GIN trigram indexes on the published revisions' statement and quote,
which answer pg_trgm's ``%`` operator without reading every revision."""

from django.db import migrations

COMPARED_COLUMNS = ["statement", "quote"]


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COMPARED_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX revision_{column}_trgm ON factcheck_publishedrevision "
            f"USING gin ({column} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COMPARED_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS revision_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0017_captures"),
    ]

    operations = [
        migrations.RunPython(add_trigram_indexes, drop_trigram_indexes),
    ]
