import os
from pathlib import Path

import pytest

from tests.factories import ClaimFactory, SourceFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
# The page as captured (shared/seeds/000_a36b16228773dca8.txt): the article's source document.
SEED = ROOT / "tests" / "data" / "hrw_2020_11_06_page_capture.txt"
ARTICLE_FIXTURE = "belarus_hrw_2020"
ARTICLE_SLUG = "hrw-2020-11-06-belarus-expert-report-torture-inquiry"
REPORT_SLUG = "osce-moscow-mechanism-expert-report-belarus-2020"
ARTICLE_FIXTURE_PATH = ROOT / "fixtures" / f"{ARTICLE_FIXTURE}.json"
# Every checkable claim of the article; change only with the fixture.
ARTICLE_CLAIMS = 44


def fixture_counts():
    """(sources, claims, citations) in the article fixture."""
    import json

    objects = json.loads(ARTICLE_FIXTURE_PATH.read_text(encoding="utf-8"))
    models = [o["model"] for o in objects]
    return tuple(models.count(f"factcheck.{m}") for m in ("source", "claim", "citation"))


def pytest_runtest_setup(item):
    if item.get_closest_marker("same_on_every_database") and os.environ.get(
        "FACTCHECK_VALIDATED_ON_SQLITE"
    ):
        # .ci/run's second run: the Nu Html Checker and axe-core check pages whose
        # markup does not depend on the database; the SQLite run checked them.
        pytest.skip("pages already checked by the validators in this CI's SQLite run")
    if item.get_closest_marker("postgres_only"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://... (.ci/run does)")


@pytest.fixture(scope="session")
def _article_snapshot(django_db_setup, django_db_blocker):
    """What ``loaddata`` of the article fixture writes, loaded once per session."""
    from tests import snapshot

    with django_db_blocker.unblock():
        return snapshot.take(ARTICLE_FIXTURE)


@pytest.fixture
def article(db, _article_snapshot):
    """The Human Rights Watch article and its claims, as ``loaddata`` of the fixture
    leaves them (rows loaded once per session, copied into each test)."""
    from factcheck.models import Source
    from tests import snapshot

    snapshot.restore(_article_snapshot)
    return Source.objects.get(slug=ARTICLE_SLUG)


def user_with_role(username, role=None, **extra):
    """A staff user in the group of ``role`` (a factcheck.roles.Role), or in none."""
    from django.contrib.auth.models import Group, Permission

    from factcheck.roles import sync_role_groups

    user = UserFactory(username=username, **extra)
    if role is not None:
        if not Group.objects.filter(name=str(role)).exists():
            # A transactional test before this one flushed the migration's groups.
            sync_role_groups(Group, Permission)
        user.groups.add(Group.objects.get(name=str(role)))
    return user


@pytest.fixture
def editor(db):
    from factcheck.roles import Role

    return user_with_role("ed", Role.EDITOR)


@pytest.fixture
def researcher(db):
    from factcheck.roles import Role

    return user_with_role("rita", Role.RESEARCHER)


@pytest.fixture
def factchecker(db):
    from factcheck.roles import Role

    return user_with_role("fay", Role.FACT_CHECKER)


@pytest.fixture
def viewer(db):
    """Staff who may look at claims but change nothing."""
    from django.contrib.auth.models import Permission

    user = UserFactory(username="vic")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="factcheck",
            codename__in=["view_claim", "view_source", "view_citation"],
        )
    )
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def source(db):
    return SourceFactory()


@pytest.fixture
def claim(source):
    return ClaimFactory(source=source)


@pytest.fixture(scope="session")
def _captures_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("captures")


@pytest.fixture(autouse=True)
def _test_storages(settings, _captures_folder):
    # Hashed names come from `collectstatic`, which tests do not run; the test
    # of whitenoise's hashed, long-cached files (test_static.py) runs it itself.
    # Captures go to a temporary folder, never to the checkout's media/.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "captures": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(_captures_folder), "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached public answers are keyed by the public state's version, which
    # starts over in every test's database: start every test with none.
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Tests create many accounts; the real hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def newsroom(researcher, factchecker, editor):
    from tests.newsroom import Newsroom

    return Newsroom(researcher, factchecker, editor)


def publish_with_evidence(newsroom, verdict, rationale):
    """The article's torture claim, published with one fully cited piece of evidence."""
    from factcheck.models import Claim
    from tests.factories import CitationFactory

    claim = Claim.objects.get(slug="hundreds-subjected-to-torture")
    CitationFactory(
        claim=claim,
        source=SourceFactory(
            slug="evidence-doc",
            title="Evidence document",
            publisher="Evidence Publisher",
            url="https://evidence.example.org/doc",
            published_on="2020-11-05",
        ),
        passage="Hundreds were tortured.",
        locator="p. 4",
        stance="supports",
        accessed_on="2026-11-20",
    )
    return newsroom.publish(claim, verdict=verdict, rationale=rationale)
