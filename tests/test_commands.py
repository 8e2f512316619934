"""The set-up commands behind `python3 manage.py serve`."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from factcheck import workflow
from factcheck.models import Citation, Claim, Source
from factcheck.roles import PERMISSIONS, ROLE_ACCOUNT_GROUP, ROLE_ACCOUNTS
from tests.conftest import ARTICLE_CLAIMS, fixture_counts

pytestmark = pytest.mark.django_db


def counts():
    return (Source.objects.count(), Claim.objects.count(), Citation.objects.count())


def test_role_groups_hold_exactly_their_permissions():
    from django.contrib.auth.models import Group

    for role, codenames in PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        assert set(group.permissions.values_list("codename", flat=True)) == set(codenames)


def test_serve_setup_publishes_the_checked_article_and_never_undoes_later_work(capsys, settings):
    settings.DEBUG = True  # pytest-django turns DEBUG off; `serve` is a development tool
    call_command("serve", setup_only=True)
    out = capsys.readouterr().out
    assert "password 'belarus-demo'" in out
    assert f"{ARTICLE_CLAIMS} replayed" in out
    for username, role in ROLE_ACCOUNTS.items():
        user = get_user_model().objects.get(username=username)
        assert user.is_staff and not user.is_superuser
        assert set(user.groups.values_list("name", flat=True)) == {role.value, ROLE_ACCOUNT_GROUP}
        assert user.check_password("belarus-demo")
    loaded = counts()
    assert loaded == fixture_counts()
    assert Claim.objects.published().count() == ARTICLE_CLAIMS

    # The desk's later work: one claim withdrawn, another renamed in a new revision.
    editor = get_user_model().objects.get(username="editor")
    withdrawn = Claim.objects.get(slug="report-is-58-pages")
    workflow.unpublish(withdrawn, user=editor, reason="Re-checking the page count.")
    renamed = Claim.objects.get(slug="protests-in-fourth-month")
    renamed.slug = "protests-nearly-three-months-old"
    workflow.save_edit(renamed, user=editor, reason="A clearer address")
    history = [m.history.count() for m in (Source, Claim, Citation)]

    call_command("serve", setup_only=True)
    assert counts() == loaded
    assert [m.history.count() for m in (Source, Claim, Citation)] == history
    withdrawn.refresh_from_db()
    assert withdrawn.live_revision is None and withdrawn.withdrawn_at is not None
    assert not Claim.objects.filter(slug="protests-in-fourth-month").exists()
    assert get_user_model().objects.count() == len(ROLE_ACCOUNTS)


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


def test_the_demo_has_a_second_editor_to_publish_an_editors_own_edit(settings):
    from factcheck.admin.panel import explained
    from factcheck.workflow import Step

    settings.DEBUG = True
    call_command("serve", setup_only=True, verbosity=0)
    users = {u.username: u for u in get_user_model().objects.all()}
    claim = Claim.objects.get(slug="report-is-58-pages")
    # The recorded decisions are the first editor's, never the second's.
    assert claim.live_revision.published_by == users["editor"]
    claim.notes = "Checked the page count again."
    workflow.save_edit(claim, user=users["editor"], reason="A note")
    workflow.submit(claim, user=users["editor"])
    workflow.approve(
        claim,
        user=users["factchecker"],
        verdict=claim.verdict,
        rationale=claim.rationale,
        fidelity=claim.fidelity,
        fidelity_note=claim.fidelity_note,
    )
    editor = users["editor"]
    refusal = workflow.refusal(Step.PUBLISH, claim, editor)
    assert "Who can publish it: editor2." in explained(refusal, Step.PUBLISH, claim, editor)
    workflow.publish(claim, user=users["editor2"], note="Added an internal note only.")
    assert users["editor2"].check_password("belarus-demo")


def test_serve_checks_the_port_before_setting_anything_up(settings):
    import socket

    settings.DEBUG = True
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError) as refused:
            call_command("serve", str(port))
    assert f"127.0.0.1:{port} is already in use" in str(refused.value)
    assert f"python3 manage.py serve {port + 1}" in str(refused.value)
    assert not Claim.objects.exists()  # nothing was set up
