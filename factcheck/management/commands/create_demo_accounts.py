"""One demo account per editorial role, for local development only."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError

from factcheck.roles import Role, sync_role_groups

DEMO_PASSWORD = "belarus-demo"
DEMO_ACCOUNTS = {
    "researcher": Role.RESEARCHER,
    "factchecker": Role.FACT_CHECKER,
    "editor": Role.EDITOR,
}


def demo_accounts_allowed() -> bool:
    return settings.DEBUG and not settings.PRODUCTION


class Command(BaseCommand):
    help = "Create (or reset) one demo staff account per editorial role. Development only."

    def handle(self, *args, **options):
        if not demo_accounts_allowed():
            raise CommandError(
                "Demo accounts exist only for local development (DEBUG on, "
                "FACTCHECK_ENV=development). Create real accounts with createsuperuser "
                "and the admin."
            )
        sync_role_groups(Group, Permission)  # the roles exactly as roles.py defines them
        User = get_user_model()
        rows = []
        for username, role in DEMO_ACCOUNTS.items():
            group = Group.objects.get(name=role.value)
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = True
            user.is_active = True
            user.email = f"{username}@localhost"
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([group])
            rows.append((role.label, username))
        width = max(len(label) for label, _ in rows)
        self.stdout.write("Demo accounts (local development only; log in at /admin/):")
        for label, username in rows:
            self.stdout.write(
                f"  {label.ljust(width)}  user {username!r:<14} password {DEMO_PASSWORD!r}"
            )
