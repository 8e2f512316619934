"""Evidence captures: archived copies of cited pages, and which ones a published
revision's passages were checked against. The roles get the capture permissions:
researchers and editors add captures; everyone on the desk views them."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import factcheck.models.captures
from factcheck.roles import create_permissions_now

# Added to each role's group (frozen as written; nothing else in the groups changes).
CAPTURE_PERMISSIONS = {
    "Researcher": ["view_capture", "add_capture"],
    "Fact-checker": ["view_capture"],
    "Editor": ["view_capture", "add_capture"],
}


def give_roles_capture_permissions(apps, schema_editor):
    create_permissions_now(apps)
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    for role, codenames in CAPTURE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="factcheck", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0016_candidate_claims"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Capture",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        help_text="The page this is a copy of.", max_length=500, verbose_name="URL"
                    ),
                ),
                (
                    "final_url",
                    models.URLField(
                        blank=True,
                        help_text="Where redirects led, if fetched.",
                        max_length=500,
                        verbose_name="final URL",
                    ),
                ),
                ("captured_at", models.DateTimeField()),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256 of the payload")),
                ("content_type", models.CharField(max_length=200)),
                ("size", models.PositiveBigIntegerField(help_text="The payload's size in bytes.")),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("uploaded", "Uploaded by an editor"),
                            ("fetched", "Fetched by the app"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "http_status",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="HTTP status"
                    ),
                ),
                (
                    "warc",
                    models.FileField(
                        max_length=300,
                        storage=factcheck.models.captures.capture_storage,
                        upload_to=factcheck.models.captures.capture_path,
                        verbose_name="WARC file",
                    ),
                ),
                (
                    "text",
                    models.TextField(blank=True, help_text="The text extracted from the payload."),
                ),
                (
                    "made_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="Who uploaded or fetched it (empty: a command run without an account).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="captures",
                        to="factcheck.source",
                    ),
                ),
            ],
            options={
                "ordering": ["source_id", "-captured_at", "-pk"],
                "base_manager_name": "objects",
            },
        ),
        migrations.AddField(
            model_name="publishedrevision",
            name="checked_captures",
            field=models.ManyToManyField(
                blank=True,
                help_text="The captures this revision's passages were checked against when it was published (also recorded in each citation's \"capture\"): the public may read these.",
                related_name="published_revisions",
                to="factcheck.capture",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalCapture",
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
                    "url",
                    models.URLField(
                        help_text="The page this is a copy of.", max_length=500, verbose_name="URL"
                    ),
                ),
                (
                    "final_url",
                    models.URLField(
                        blank=True,
                        help_text="Where redirects led, if fetched.",
                        max_length=500,
                        verbose_name="final URL",
                    ),
                ),
                ("captured_at", models.DateTimeField()),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256 of the payload")),
                ("content_type", models.CharField(max_length=200)),
                ("size", models.PositiveBigIntegerField(help_text="The payload's size in bytes.")),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("uploaded", "Uploaded by an editor"),
                            ("fetched", "Fetched by the app"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "http_status",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="HTTP status"
                    ),
                ),
                ("warc", models.TextField(max_length=300, verbose_name="WARC file")),
                (
                    "text",
                    models.TextField(blank=True, help_text="The text extracted from the payload."),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "made_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Who uploaded or fetched it (empty: a command run without an account).",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="factcheck.source",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical capture",
                "verbose_name_plural": "historical captures",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddIndex(
            model_name="capture",
            index=models.Index(fields=["source", "-captured_at"], name="capture_source_latest"),
        ),
        migrations.AddConstraint(
            model_name="capture",
            constraint=models.CheckConstraint(
                condition=models.Q(("method__in", ["uploaded", "fetched"])),
                name="capture_method_valid",
            ),
        ),
        migrations.RunPython(give_roles_capture_permissions, migrations.RunPython.noop),
    ]
