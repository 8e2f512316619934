from django.db import migrations

from factcheck.roles import create_permissions_now, sync_role_groups

_VIEW = ["view_source", "view_claim", "view_citation"]
# The roles as this migration created them (frozen: later migrations change them).
PERMISSIONS = {
    "Researcher": [
        *_VIEW,
        *["add_source", "change_source", "add_claim", "change_claim"],
        *["add_citation", "change_citation", "delete_citation"],
    ],
    "Fact-checker": [*_VIEW, "change_claim", "add_citation", "change_citation", "delete_citation"],
    "Editor": [
        *_VIEW,
        *["add_source", "change_source", "delete_source"],
        *["add_claim", "change_claim", "delete_claim"],
        *["add_citation", "change_citation", "delete_citation"],
    ],
}


def create_role_groups(apps, schema_editor):
    create_permissions_now(apps)
    sync_role_groups(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), PERMISSIONS
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("factcheck", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
