# Importing an article: the import record (its text SHA-256 unique: one source per
# text, whatever the timing) and an index on Source.text_sha256 for the duplicate check.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0014_newest_first_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleImport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "text_sha256",
                    models.CharField(
                        max_length=64, unique=True, verbose_name="SHA-256 of the stored text"
                    ),
                ),
                (
                    "file_sha256",
                    models.CharField(max_length=64, verbose_name="SHA-256 of the file as read"),
                ),
                ("file_name", models.CharField(blank=True, max_length=255)),
                (
                    "input_kind",
                    models.CharField(
                        choices=[("html", "HTML page"), ("text", "Plain-text capture")],
                        max_length=10,
                    ),
                ),
                (
                    "start",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="Plain text: where the article starts in the capture.",
                        null=True,
                    ),
                ),
                (
                    "end",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="Plain text: where the article ends in the capture.",
                        null=True,
                    ),
                ),
                ("imported_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ["-imported_at"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalArticleImport",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "history_actor",
                    models.CharField(
                        blank=True,
                        help_text="The user, or the command that made the change when no user did.",
                        max_length=200,
                        verbose_name="actor",
                    ),
                ),
                (
                    "text_sha256",
                    models.CharField(
                        db_index=True, max_length=64, verbose_name="SHA-256 of the stored text"
                    ),
                ),
                (
                    "file_sha256",
                    models.CharField(max_length=64, verbose_name="SHA-256 of the file as read"),
                ),
                ("file_name", models.CharField(blank=True, max_length=255)),
                (
                    "input_kind",
                    models.CharField(
                        choices=[("html", "HTML page"), ("text", "Plain-text capture")],
                        max_length=10,
                    ),
                ),
                (
                    "start",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="Plain text: where the article starts in the capture.",
                        null=True,
                    ),
                ),
                (
                    "end",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="Plain text: where the article ends in the capture.",
                        null=True,
                    ),
                ),
                ("imported_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical article import",
                "verbose_name_plural": "historical article imports",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddIndex(
            model_name="source",
            index=models.Index(fields=["text_sha256"], name="source_text_sha256"),
        ),
        migrations.AddField(
            model_name="articleimport",
            name="imported_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="articleimport",
            name="source",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="article_import",
                to="factcheck.source",
            ),
        ),
        migrations.AddField(
            model_name="historicalarticleimport",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalarticleimport",
            name="imported_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalarticleimport",
            name="source",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="factcheck.source",
            ),
        ),
    ]
