from django.contrib.auth.management import create_permissions
from django.db import migrations

from factcheck.roles import sync_role_groups

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
    # The workflow's permissions (submit, review, publish, assign) are created
    # after all migrations ran; make sure they exist now.
    app_config = apps.get_app_config("factcheck")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    sync_role_groups(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), PERMISSIONS
    )


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0003_review_workflow")]

    operations = [
        migrations.RunPython(give_roles_their_review_permissions, migrations.RunPython.noop)
    ]
