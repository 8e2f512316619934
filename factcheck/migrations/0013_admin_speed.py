"""Admin pages at any desk size: indexes for the claim list's order and filters,
the dashboard's queues, and (PostgreSQL) trigram indexes for the admin search."""

from django.conf import settings
from django.db import migrations, models

# The admin search (ClaimAdmin.search_fields) matches ``UPPER(column) LIKE
# UPPER('%term%')`` on PostgreSQL; a trigram GIN index on the same expression
# answers it without reading every claim.
SEARCHED_COLUMNS = ["statement", "quote", "attributed_to", "slug"]


def add_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX claim_{column}_trgm ON factcheck_claim "
            f"USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS claim_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0012_public_speed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["source", "quote_start", "id"], name="claim_list_order"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["status", "source", "quote_start", "id"], name="claim_status_list_order"
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["assignee", "source", "quote_start", "id"], name="claim_assignee_list_order"
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["status", "updated_at"], name="claim_status_updated"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["assignee", "updated_at"], name="claim_assignee_updated"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["attributed_to"], name="claim_attributed_to"),
        ),
        migrations.RunPython(add_search_indexes, drop_search_indexes),
    ]
