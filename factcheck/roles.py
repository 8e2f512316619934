"""Editorial roles: Django groups and the model permissions each one holds.

The groups are created by a data migration. The review workflow (its steps
and who may take each) builds on these groups.
"""

from django.db import models


class Role(models.TextChoices):
    RESEARCHER = "Researcher", "Researcher"
    FACT_CHECKER = "Fact-checker", "Fact-checker"
    EDITOR = "Editor", "Editor"


_VIEW = ["view_source", "view_claim", "view_citation"]

PERMISSIONS = {
    # Writes drafts: creates and edits claims and their sources and citations,
    # then submits them for review.
    Role.RESEARCHER: [
        *_VIEW,
        "add_source",
        "change_source",
        "add_claim",
        "change_claim",
        "add_citation",
        "change_citation",
        "delete_citation",
        "submit_claim",
    ],
    # Reviews: approves (setting the verdict and rationale) or requests changes.
    # Does not edit the claims they review.
    Role.FACT_CHECKER: [*_VIEW, "review_claim"],
    # Runs the desk: publishes, unpublishes, corrects (edits a published claim
    # and resubmits it) and assigns work.
    Role.EDITOR: [
        *_VIEW,
        "add_source",
        "change_source",
        "delete_source",
        "add_claim",
        "change_claim",
        "delete_claim",
        "add_citation",
        "change_citation",
        "delete_citation",
        "submit_claim",
        "publish_claim",
        "assign_claim",
    ],
}


def create_permissions_now(apps) -> None:
    """Create the app's permissions inside a migration.

    Django creates permissions after all migrations ran; a data migration that
    gives them to groups on a fresh database needs them before that.
    """
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("factcheck")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def sync_role_groups(group_model, permission_model, permissions=PERMISSIONS) -> None:
    """Create each role's group and give it exactly its permissions.

    Migrations pass a frozen copy of ``permissions``, as it was when they were
    written.
    """
    for role, codenames in permissions.items():
        group, _ = group_model.objects.get_or_create(name=str(role))
        found = list(
            permission_model.objects.filter(
                content_type__app_label="factcheck", codename__in=codenames
            )
        )
        missing = set(codenames) - {p.codename for p in found}
        if missing:
            raise LookupError(f"Permissions missing for {role}: {sorted(missing)}")
        group.permissions.set(found)
