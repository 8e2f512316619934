"""Editorial roles: Django groups and the model permissions each one holds.

The groups are created by a data migration. The review workflow (its steps
and who may take each) builds on these groups.
"""

from django.db import models


class Role(models.TextChoices):
    RESEARCHER = "Researcher", "Researcher"
    FACT_CHECKER = "Fact-checker", "Fact-checker"
    EDITOR = "Editor", "Editor"


_VIEW = ["view_source", "view_claim", "view_citation", "view_capture"]

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
        "add_capture",
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
        "add_capture",
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


# Role accounts --------------------------------------------------------------------
#
# One account per role, named for the role, not for a person. They carry the
# desk's recorded decisions (``replay_decisions``) and, in local development
# only, serve as the demo logins. Outside development nobody can log in as
# them, whatever their password: ``RoleAccountBackend`` refuses.

ROLE_ACCOUNTS = {
    "researcher": Role.RESEARCHER,
    "factchecker": Role.FACT_CHECKER,
    "editor": Role.EDITOR,
    # A second editor: the four-eyes rule keeps an editor from publishing their
    # own edit, so the demo needs another editor to publish it. The desk's
    # decisions are taken under the first account of each role, never this one.
    "editor2": Role.EDITOR,
}
ROLE_ACCOUNT_GROUP = "Role accounts"


def role_accounts_may_log_in() -> bool:
    """Only in local development (DEBUG on, not production)."""
    from django.conf import settings

    return settings.DEBUG and not settings.PRODUCTION


def is_role_account(user) -> bool:
    return user.groups.filter(name=ROLE_ACCOUNT_GROUP).exists()


class RoleAccountRefused(Exception):
    """An account with a role account's name belongs to someone else."""


def ensure_role_accounts() -> dict:
    """Create the role accounts that are missing; return the first of each role, by role.

    A new account gets an unusable password. An existing account of the same
    name that is not marked as a role account is refused: the desk's
    decisions are never attributed to a person.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    sync_role_groups(Group, Permission)
    marker, _ = Group.objects.get_or_create(name=ROLE_ACCOUNT_GROUP)
    User = get_user_model()
    accounts = {}
    for username, role in ROLE_ACCOUNTS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, is_staff=True, is_active=True)
            user.set_unusable_password()
            user.save()
        elif not is_role_account(user):
            raise RoleAccountRefused(
                f"An account named {username!r} exists and is not a role account of the desk. "
                "The desk's decisions are never attributed to a person: rename that account, "
                "or add it to the group “Role accounts” if it is the desk's own."
            )
        user.groups.set([marker, Group.objects.get(name=str(role))])
        accounts.setdefault(role, user)
    return accounts
