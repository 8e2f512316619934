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
    # Creates and edits drafts, adds citations.
    Role.RESEARCHER: [
        *_VIEW,
        "add_source",
        "change_source",
        "add_claim",
        "change_claim",
        "add_citation",
        "change_citation",
        "delete_citation",
    ],
    # Reviews claims and their evidence.
    Role.FACT_CHECKER: [
        *_VIEW,
        "change_claim",
        "add_citation",
        "change_citation",
        "delete_citation",
    ],
    # Runs the desk: everything on the editorial models.
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
    ],
}


def sync_role_groups(group_model, permission_model) -> None:
    """Create each role's group and give it exactly its permissions."""
    for role, codenames in PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role.value)
        permissions = list(
            permission_model.objects.filter(
                content_type__app_label="factcheck", codename__in=codenames
            )
        )
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise LookupError(f"Permissions missing for {role}: {sorted(missing)}")
        group.permissions.set(permissions)
