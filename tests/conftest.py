from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import ClaimFactory, SourceFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_a36b16228773dca8.txt"
ARTICLE_FIXTURE = "belarus_hrw_2020"
ARTICLE_SLUG = "hrw-2020-11-06-belarus-expert-report-torture-inquiry"
REPORT_SLUG = "osce-moscow-mechanism-expert-report-belarus-2020"
# Every checkable claim of the article; change only with the fixture.
ARTICLE_CLAIMS = 62


@pytest.fixture
def article(db):
    """The Human Rights Watch article and its claims, loaded from the fixture."""
    call_command("loaddata", ARTICLE_FIXTURE, verbosity=0)
    from factcheck.models import Source

    return Source.objects.get(slug=ARTICLE_SLUG)


@pytest.fixture
def editor(db):
    from django.contrib.auth.models import Group

    user = UserFactory(username="ed")
    user.groups.add(Group.objects.get(name="Editor"))
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
