"""The set-up commands behind `python3 manage.py serve`."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from factcheck.history import recorded_change
from factcheck.models import Citation, Claim, Source
from factcheck.roles import PERMISSIONS, Role
from tests.conftest import ARTICLE_CLAIMS

pytestmark = pytest.mark.django_db


def counts():
    return (Source.objects.count(), Claim.objects.count(), Citation.objects.count())


def test_role_groups_hold_exactly_their_permissions():
    from django.contrib.auth.models import Group

    for role, codenames in PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        assert set(group.permissions.values_list("codename", flat=True)) == set(codenames)


def test_serve_setup_loads_the_article_and_demo_accounts_and_is_safe_to_rerun(capsys, settings):
    settings.DEBUG = True  # pytest-django turns DEBUG off; `serve` is a development tool
    call_command("serve", setup_only=True)
    out = capsys.readouterr().out
    assert "password 'belarus-demo'" in out
    for username, role in [
        ("researcher", Role.RESEARCHER),
        ("factchecker", Role.FACT_CHECKER),
        ("editor", Role.EDITOR),
    ]:
        user = get_user_model().objects.get(username=username)
        assert user.is_staff and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [role.value]
        assert user.check_password("belarus-demo")
    assert (Source.objects.count(), Claim.objects.count(), Citation.objects.count()) == (
        2,
        ARTICLE_CLAIMS,
        28,
    )

    claim = Claim.objects.get(slug="report-is-58-pages")
    claim.statement = "Work in progress"
    with recorded_change(reason="Editor's work"):
        claim.save()
    call_command("serve", setup_only=True)
    claim.refresh_from_db()
    assert claim.statement == "Work in progress"
    assert (Source.objects.count(), Claim.objects.count(), Citation.objects.count()) == (
        2,
        ARTICLE_CLAIMS,
        28,
    )
    assert get_user_model().objects.count() == 3


def test_demo_accounts_are_refused_outside_development(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only for local development"):
        call_command("create_demo_accounts")
    settings.DEBUG, settings.PRODUCTION = True, True
    with pytest.raises(CommandError, match="only for local development"):
        call_command("create_demo_accounts")
    assert not get_user_model().objects.exists()


def test_serve_is_refused_in_production(settings):
    settings.PRODUCTION, settings.DEBUG = True, False
    with pytest.raises(CommandError, match="for local development"):
        call_command("serve", setup_only=True)
