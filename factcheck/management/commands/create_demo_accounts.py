"""Demo logins for local development: the desk's role accounts, with a known password."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from factcheck.roles import (
    ROLE_ACCOUNTS,
    RoleAccountRefused,
    ensure_role_accounts,
    role_accounts_may_log_in,
)

DEMO_PASSWORD = "belarus-demo"


class Command(BaseCommand):
    help = (
        "Give the desk's role accounts (researcher, factchecker, editor, editor2) the demo "
        "password. "
        "Development only."
    )

    def handle(self, *args, **options):
        if not role_accounts_may_log_in():
            raise CommandError(
                "Demo accounts exist only for local development (DEBUG on, "
                "FACTCHECK_ENV=development). Create real accounts with createsuperuser "
                "and the admin."
            )
        try:
            ensure_role_accounts()
        except RoleAccountRefused as refused:
            raise CommandError(str(refused)) from None
        for user in get_user_model().objects.filter(username__in=ROLE_ACCOUNTS):
            user.is_staff = user.is_active = True
            user.email = f"{user.username}@localhost"
            user.set_password(DEMO_PASSWORD)
            user.save()
        width = max(len(role.label) for role in ROLE_ACCOUNTS.values())
        self.stdout.write("Demo accounts (local development only; log in at /admin/):")
        for username, role in ROLE_ACCOUNTS.items():
            self.stdout.write(
                f"  {role.label.ljust(width)}  user {username!r:<14} password {DEMO_PASSWORD!r}"
            )
