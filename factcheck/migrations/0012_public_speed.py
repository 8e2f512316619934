"""Public pages at any archive size: the public claim count kept with the public
state, indexes for the claim list's orders, and (PostgreSQL) an index for search."""

from django.conf import settings
from django.db import migrations, models

# What factcheck.public.filters.search looks in, on PostgreSQL: a revision's
# words, weighted, computed once when it is stored (revisions never change) and
# indexed, so a search neither reads nor re-parses every revision.
SEARCH_DOCUMENT = (
    "(setweight(to_tsvector('english'::regconfig, COALESCE(statement, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(quote, '')), 'B'))"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(rationale, '')), 'C')"
)


def count_published_claims(apps, schema_editor):
    PublicState = apps.get_model("factcheck", "PublicState")
    Claim = apps.get_model("factcheck", "Claim")
    published = Claim.objects.filter(live_revision__isnull=False).count()
    PublicState.objects.filter(pk=1).update(published_claims=published)


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE factcheck_publishedrevision ADD COLUMN search_document tsvector "
            f"GENERATED ALWAYS AS ({SEARCH_DOCUMENT}) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX revision_search ON factcheck_publishedrevision USING gin (search_document)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS revision_search")
        schema_editor.execute(
            "ALTER TABLE factcheck_publishedrevision DROP COLUMN IF EXISTS search_document"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0011_public_state"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="publicstate",
            name="published_claims",
            field=models.PositiveIntegerField(
                default=0, help_text="How many claims the public sees, counted at the last change."
            ),
        ),
        migrations.RunPython(count_published_claims, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="publishedrevision",
            index=models.Index(fields=["source", "quote_start"], name="revision_source_place"),
        ),
        migrations.AddIndex(
            model_name="publishedrevision",
            index=models.Index(fields=["published_at"], name="revision_published_at"),
        ),
        migrations.AddIndex(
            model_name="source",
            index=models.Index(fields=["published_on", "id"], name="source_date_order"),
        ),
        migrations.RunPython(add_search_index, drop_search_index),
    ]
