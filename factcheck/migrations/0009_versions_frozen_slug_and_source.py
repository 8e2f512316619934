"""Versions on sources and citations; published revisions freeze the slug and source.

Existing revisions get the slug and source the claim had when the revision was
published, read from the claim's history (the claim's current ones when the
history does not reach back that far).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def freeze_slug_and_source(apps, schema_editor):
    PublishedRevision = apps.get_model("factcheck", "PublishedRevision")
    HistoricalClaim = apps.get_model("factcheck", "HistoricalClaim")
    Claim = apps.get_model("factcheck", "Claim")
    for revision in PublishedRevision.objects.order_by("pk").iterator():
        then = (
            HistoricalClaim.objects.filter(
                id=revision.claim_id, history_date__lte=revision.published_at
            )
            .order_by("-history_date", "-history_id")
            .values("slug", "source_id")
            .first()
        )
        if then is None:
            then = Claim.objects.filter(pk=revision.claim_id).values("slug", "source_id").first()
        # A queryset update: the model's own refusal of updates is not in migrations.
        PublishedRevision.objects.filter(pk=revision.pk).update(
            slug=then["slug"], source_id=then["source_id"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0008_mark_demo_accounts_as_role_accounts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="citation",
            options={"base_manager_name": "objects", "ordering": ["claim_id", "pk"]},
        ),
        migrations.AlterModelOptions(
            name="claim",
            options={
                "base_manager_name": "objects",
                "ordering": ["source_id", "quote_start", "pk"],
                "permissions": [
                    ("submit_claim", "Can submit a claim for review"),
                    ("review_claim", "Can approve a claim or request changes, and set its verdict"),
                    ("publish_claim", "Can publish, correct and unpublish a claim"),
                    ("assign_claim", "Can assign a claim to a fact-checker"),
                ],
            },
        ),
        migrations.AlterModelOptions(
            name="publishedrevision",
            options={"base_manager_name": "objects", "ordering": ["claim_id", "number"]},
        ),
        migrations.AlterModelOptions(
            name="source",
            options={"base_manager_name": "objects", "ordering": ["-published_on", "title"]},
        ),
        migrations.AddField(
            model_name="citation",
            name="version",
            field=models.PositiveIntegerField(
                default=1,
                editable=False,
                help_text="Goes up with every save; a save based on an older version is refused.",
            ),
        ),
        migrations.AddField(
            model_name="historicalcitation",
            name="version",
            field=models.PositiveIntegerField(
                default=1,
                editable=False,
                help_text="Goes up with every save; a save based on an older version is refused.",
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="version",
            field=models.PositiveIntegerField(
                default=1,
                editable=False,
                help_text="Goes up with every save; a save based on an older version is refused.",
            ),
        ),
        migrations.AddField(
            model_name="historicalsource",
            name="version",
            field=models.PositiveIntegerField(
                default=1,
                editable=False,
                help_text="Goes up with every save; a save based on an older version is refused.",
            ),
        ),
        migrations.AlterField(
            model_name="claim",
            name="assignee",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The fact-checker asked to review this claim.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assigned_claims",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="publishedrevision",
            name="slug",
            field=models.SlugField(max_length=120, null=True),
        ),
        migrations.AddField(
            model_name="publishedrevision",
            name="source",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="published_revisions",
                to="factcheck.source",
            ),
        ),
        migrations.RunPython(freeze_slug_and_source, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="publishedrevision",
            name="slug",
            field=models.SlugField(
                help_text="The claim's slug as published: its public address while this revision is live, and a permanent redirect afterwards.",
                max_length=120,
            ),
        ),
        migrations.AlterField(
            model_name="publishedrevision",
            name="source",
            field=models.ForeignKey(
                help_text="The source the claim was published from.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="published_revisions",
                to="factcheck.source",
            ),
        ),
        migrations.AddIndex(
            model_name="publishedrevision",
            index=models.Index(fields=["slug"], name="revision_slug"),
        ),
    ]
