"""Admin login: repeated wrong passwords lock the account for a while (django-axes)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "test-password-123"  # tests.factories.UserFactory's


def log_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def logged_in(client) -> bool:
    return client.get("/admin/").status_code == 200


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


def test_twenty_wrong_passwords_lock_the_account_even_for_the_right_one(client, alice):
    for _ in range(20):
        log_in(client, "alice", "wrong")

    response = log_in(client, "alice", PASSWORD)

    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many failed logins for this account" in text
    assert f"{settings.LOGIN_LOCKOUT_MINUTES} minutes" in text
    assert not logged_in(client)


def test_the_lock_starts_at_the_failure_limit(client, alice):
    assert settings.AXES_FAILURE_LIMIT == settings.LOGIN_FAILURE_LIMIT == 5
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "alice", "wrong").status_code == 200  # the form, with its error
    assert log_in(client, "alice", PASSWORD).status_code == 302
    assert logged_in(client)


def test_a_successful_login_starts_the_count_again(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_a_locked_account_does_not_lock_anyone_else(client, alice):
    UserFactory(username="bob")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "alice", "wrong")

    assert log_in(client, "bob", PASSWORD).status_code == 302
    assert logged_in(client)


def test_an_administrator_unlocks_an_account_with_the_command(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", PASSWORD).status_code == 429

    call_command("axes_reset_username", "alice", verbosity=0)

    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_an_administrator_unlocks_an_account_in_the_admin(client, alice, superuser):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "alice", "wrong")
    (attempt,) = AccessAttempt.objects.filter(username="alice")
    admin = client.__class__()
    admin.force_login(superuser)

    assert "alice" in admin.get("/admin/axes/accessattempt/").content.decode()
    response = admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, alice):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", PASSWORD).status_code == 429

    later = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1)
    AccessAttempt.objects.update(attempt_time=later)

    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_lock_state_is_kept_in_the_shared_database():
    # Several app servers see the same failures (README, "Logging in").
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]
