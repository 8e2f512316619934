# Candidate claims (issue 12, part 2): proposed sentences and the decisions on them.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0015_article_import"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalCandidateClaim",
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
                    "start",
                    models.PositiveIntegerField(help_text="Character offset in the source's text."),
                ),
                (
                    "end",
                    models.PositiveIntegerField(
                        help_text="Offset just after the candidate's last character."
                    ),
                ),
                (
                    "text",
                    models.TextField(
                        help_text="The source's text between start and end, as proposed."
                    ),
                ),
                (
                    "score",
                    models.FloatField(help_text="How check-worthy it looks: the higher, the more."),
                ),
                (
                    "reasons",
                    models.CharField(
                        help_text="What makes it checkable, e.g. “a number and an attribution”.",
                        max_length=300,
                    ),
                ),
                ("signals", models.JSONField(blank=True, default=list)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("proposed", "Proposed"),
                            ("accepted", "Accepted"),
                            ("dismissed", "Dismissed"),
                        ],
                        default="proposed",
                        max_length=10,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                (
                    "decision_reason",
                    models.TextField(blank=True, help_text="Why it was accepted or dismissed."),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
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
                    "claim",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The draft claim it became when accepted.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="factcheck.claim",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Who accepted or dismissed it.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
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
                "verbose_name": "historical candidate claim",
                "verbose_name_plural": "historical candidate claims",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="CandidateClaim",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "start",
                    models.PositiveIntegerField(help_text="Character offset in the source's text."),
                ),
                (
                    "end",
                    models.PositiveIntegerField(
                        help_text="Offset just after the candidate's last character."
                    ),
                ),
                (
                    "text",
                    models.TextField(
                        help_text="The source's text between start and end, as proposed."
                    ),
                ),
                (
                    "score",
                    models.FloatField(help_text="How check-worthy it looks: the higher, the more."),
                ),
                (
                    "reasons",
                    models.CharField(
                        help_text="What makes it checkable, e.g. “a number and an attribution”.",
                        max_length=300,
                    ),
                ),
                ("signals", models.JSONField(blank=True, default=list)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("proposed", "Proposed"),
                            ("accepted", "Accepted"),
                            ("dismissed", "Dismissed"),
                        ],
                        default="proposed",
                        max_length=10,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                (
                    "decision_reason",
                    models.TextField(blank=True, help_text="Why it was accepted or dismissed."),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "claim",
                    models.OneToOneField(
                        blank=True,
                        help_text="The draft claim it became when accepted.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="candidate",
                        to="factcheck.claim",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="Who accepted or dismissed it.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="candidates",
                        to="factcheck.source",
                    ),
                ),
            ],
            options={
                "verbose_name": "candidate claim",
                "ordering": ("-score", "start"),
                "indexes": [
                    models.Index(fields=["source", "status"], name="candidate_source_status")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("source", "start", "end"), name="candidate_claim_one_per_span"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("end__gt", models.F("start"))),
                        name="candidate_claim_span",
                    ),
                ],
            },
        ),
    ]
