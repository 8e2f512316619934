"""The demo accounts that ``create_demo_accounts`` made before role accounts existed
become the desk's role accounts (``factcheck.roles.ROLE_ACCOUNTS``).

They are recognised by name and by the e-mail address that command gave them.
"""

from django.db import migrations

DEMO_USERNAMES = ["researcher", "factchecker", "editor"]


def mark(apps, schema_editor):
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    demo = [
        user
        for user in User.objects.filter(username__in=DEMO_USERNAMES)
        if user.email == f"{user.username}@localhost"
    ]
    if demo:
        marker, _ = Group.objects.get_or_create(name="Role accounts")
        for user in demo:
            user.groups.add(marker)


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0007_keys_unique"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
