"""Logging in: Django's own backend, with one rule added for role accounts."""

from django.contrib.auth.backends import ModelBackend

from factcheck.roles import is_role_account, role_accounts_may_log_in


class RoleAccountBackend(ModelBackend):
    """Role accounts (``factcheck.roles.ROLE_ACCOUNTS``) log in only in local development.

    They carry the desk's recorded decisions; outside development nobody may
    act as them, whatever password someone gave them.
    """

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        return role_accounts_may_log_in() or not is_role_account(user)
