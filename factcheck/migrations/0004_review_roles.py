from django.db import migrations

from factcheck.roles import create_permissions_now, sync_role_groups

_VIEW = ["view_source", "view_claim", "view_citation"]
# The roles as of the review workflow (frozen: later migrations change them).
PERMISSIONS = {
    "Researcher": [
        *_VIEW,
        *["add_source", "change_source", "add_claim", "change_claim"],
        *["add_citation", "change_citation", "delete_citation"],
        "submit_claim",
    ],
    "Fact-checker": [*_VIEW, "review_claim"],
    "Editor": [
        *_VIEW,
        *["add_source", "change_source", "delete_source"],
        *["add_claim", "change_claim", "delete_claim"],
        *["add_citation", "change_citation", "delete_citation"],
        *["submit_claim", "publish_claim", "assign_claim"],
    ],
}


def give_roles_their_review_permissions(apps, schema_editor):
    create_permissions_now(apps)
    sync_role_groups(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), PERMISSIONS
    )


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0003_review_workflow")]

    operations = [
        migrations.RunPython(give_roles_their_review_permissions, migrations.RunPython.noop)
    ]
