"""The desk at any size: the same queries for 20 claims as for 200, filters that
list a few choices and find the others, a search that finds claims by any of
their words, and the same permissions as before."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck import workflow
from factcheck.admin.filters import SHOWN
from factcheck.history import bulk_create_with_history
from factcheck.models import Claim, ClaimKind, ClaimStatus, Source
from factcheck.models.claims import workflow_writes
from factcheck.roles import Role
from tests.conftest import user_with_role
from tests.factories import ARTICLE_TEXT, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:factcheck_claim_changelist")
QUOTE = "Police detained thousands"
STATES = [ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW, ClaimStatus.DRAFT, ClaimStatus.APPROVED]


def add_claims(total, *, assignee, per_source=10):
    """Claims until there are ``total``, over sources of ``per_source`` claims, in
    mixed states, every fourth assigned to ``assignee``."""
    start = ARTICLE_TEXT.index(QUOTE)
    end = start + len(QUOTE)
    have = Claim.objects.count()
    sources = Source.objects.filter(title__startswith="Scale source ").count()
    claims = []
    for n in range(have, total):
        if (n - have) % per_source == 0:
            source = SourceFactory(title=f"Scale source {sources}")
            sources += 1
        claims.append(
            Claim(
                source=source,
                slug=f"scale-{n}",
                statement=f"Scale claim {n}",
                quote=QUOTE,
                quote_start=start,
                quote_end=end,
                quote_prefix=ARTICLE_TEXT[max(0, start - 32) : start],
                quote_suffix=ARTICLE_TEXT[end : end + 32],
                attributed_to=f"Speaker {n}",
                kind=ClaimKind.STATISTIC,
                status=STATES[n % len(STATES)],
                assignee=assignee if n % 4 == 1 else None,
            )
        )
    with workflow_writes():
        bulk_create_with_history(claims, Claim, reason="Scale test data")


def queries_for(client, url):
    client.get(url)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return queries


@pytest.fixture
def sample(researcher):
    claim = ClaimFactory(slug="sample-claim", statement="A sample claim")
    workflow.save_edit(claim, user=researcher, reason="First edit")
    return claim


def pages(sample):
    return {
        "dashboard": reverse("admin:index"),
        "claim list": CHANGELIST,
        "by status": f"{CHANGELIST}?status__exact=in_review",
        "by source": f"{CHANGELIST}?source__id__exact={sample.source_id}",
        "by speaker": f"{CHANGELIST}?attributed_to__exact=Speaker+3",
        "source choices found": f"{CHANGELIST}?source__id__exact_q=Scale",
        "assigned to me": f"{CHANGELIST}?assignee=me",
        "assigned to someone": f"{CHANGELIST}?assignee={sample.pk}",
        "search": f"{CHANGELIST}?q=scale",
        "search two words": f"{CHANGELIST}?q=scale+claim",
        "my work": f"{CHANGELIST}?mine=worked_on",
        "sent back": f"{CHANGELIST}?mine=sent_back",
        "claim page": reverse("admin:factcheck_claim_change", args=[sample.pk]),
        "claim history": reverse("admin:factcheck_claim_history", args=[sample.pk]),
        "source list": reverse("admin:factcheck_source_changelist"),
    }


@pytest.mark.parametrize("who", ["editor", "factchecker", "researcher"])
def test_every_desk_page_makes_the_same_queries_at_20_and_200_claims(
    client, request, who, sample, factchecker
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    add_claims(20, assignee=factchecker)
    small = {name: len(queries_for(client, url)) for name, url in pages(sample).items()}
    add_claims(200, assignee=factchecker)
    large = {name: len(queries_for(client, url)) for name, url in pages(sample).items()}
    assert large == small


def test_the_claim_list_counts_its_claims_once_and_not_the_whole_desk_again(
    client, editor, factchecker, sample
):
    add_claims(40, assignee=factchecker)
    client.force_login(editor)
    queries = queries_for(client, f"{CHANGELIST}?status__exact=in_review")
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1 and "in_review" in counts[0]
    response = client.get(f"{CHANGELIST}?status__exact=in_review")
    assert response.context["cl"].result_count == Claim.objects.filter(status="in_review").count()


def test_the_dashboard_counts_every_claim_in_one_query(client, superuser, factchecker, sample):
    add_claims(60, assignee=factchecker)  # more than a queue shows, in review and approved
    client.force_login(superuser)  # every queue
    queries = queries_for(client, reverse("admin:index"))
    sql = [q["sql"] for q in queries.captured_queries]
    assert [q for q in sql if q.startswith("SELECT COUNT(")] == []  # queues counted as listed
    assert len([q for q in sql if "GROUP BY" in q and "factcheck_claim" in q]) == 1
    response = client.get(reverse("admin:index"))
    desk = response.content.decode()
    for status in ClaimStatus:
        n = Claim.objects.filter(status=status).count()
        assert f'data-status="{status.value}">{n}<' in desk, status
    queues = {queue.title: queue.total for queue in response.context["dashboard"].queues}
    assert queues["Waiting for review"] == Claim.objects.filter(status="in_review").count()
    assert queues["Approved, waiting to be published"] == (
        Claim.objects.filter(status="approved").count()
    )


# Filters ----------------------------------------------------------------------------


def shown(response, title):
    (spec,) = [s for s in response.context["cl"].filter_specs if s.title == title]
    return [label for value, label in spec.lookup_choices], spec


def test_the_source_filter_lists_a_few_sources_and_finds_the_others(
    client, editor, factchecker, sample
):
    add_claims(141, assignee=factchecker, per_source=2)  # 70 sources besides the sample's
    client.force_login(editor)

    labels, spec = shown(client.get(CHANGELIST), "source")
    assert len(labels) == SHOWN and spec.more
    assert "Only the first 50 are listed" in client.get(CHANGELIST).content.decode()

    found = client.get(f"{CHANGELIST}?source__id__exact_q=scale+source+6")
    labels, spec = shown(found, "source")
    assert sorted(labels) == ["Scale source 6", *(f"Scale source {n}" for n in range(60, 70))]
    assert not spec.more
    assert found.context["cl"].result_count == Claim.objects.count()  # the list is whole


def test_choosing_a_source_narrows_the_list_and_stays_shown(client, editor, factchecker, sample):
    add_claims(141, assignee=factchecker, per_source=2)
    last = Source.objects.get(title="Scale source 69")  # not among the first 50 by title
    client.force_login(editor)
    response = client.get(f"{CHANGELIST}?source__id__exact={last.pk}")
    assert {c.source_id for c in response.context["cl"].result_list} == {last.pk}
    assert response.context["cl"].result_count == 2
    labels, _ = shown(response, "source")
    assert "Scale source 69" in labels
    assert 'class="selected">\n    <a href="?source__id__exact=' in response.content.decode()


def test_the_speaker_filter_lists_a_few_names_finds_others_and_narrows(
    client, editor, factchecker, sample
):
    add_claims(SHOWN + 30, assignee=factchecker)
    client.force_login(editor)
    labels, spec = shown(client.get(CHANGELIST), "attributed to")
    assert len(labels) == SHOWN and spec.more

    labels, _ = shown(client.get(f"{CHANGELIST}?attributed_to__exact_q=speaker+7"), "attributed to")
    assert sorted(labels) == sorted(["Speaker 7", *(f"Speaker 7{n}" for n in range(10))])

    chosen = client.get(f"{CHANGELIST}?attributed_to__exact=Speaker+77")
    assert [c.slug for c in chosen.context["cl"].result_list] == ["scale-77"]


def test_a_search_box_of_a_filter_keeps_the_other_filters(client, editor, factchecker, sample):
    add_claims(20, assignee=factchecker)
    client.force_login(editor)
    html = client.get(f"{CHANGELIST}?status__exact=draft&q=scale").content.decode()
    assert '<input type="hidden" name="status__exact" value="draft">' in html
    assert '<input type="hidden" name="q" value="scale">' in html


def test_status_and_assignee_filters_narrow_the_list(client, editor, factchecker, sample):
    add_claims(40, assignee=factchecker)
    client.force_login(factchecker)
    mine = client.get(f"{CHANGELIST}?assignee=me").context["cl"].result_list
    expected = Claim.objects.filter(assignee=factchecker).exclude(status=ClaimStatus.PUBLISHED)
    assert {c.pk for c in mine} == set(expected.values_list("pk", flat=True)) != set()
    by_id = client.get(f"{CHANGELIST}?assignee={factchecker.pk}").context["cl"].result_list
    assert {c.pk for c in by_id} == set(expected.values_list("pk", flat=True))
    in_review = client.get(f"{CHANGELIST}?status__exact=in_review").context["cl"].result_list
    assert {c.status for c in in_review} == {ClaimStatus.IN_REVIEW}
    assert len(in_review) == Claim.objects.filter(status=ClaimStatus.IN_REVIEW).count()


# Search -----------------------------------------------------------------------------


def found(client, words):
    response = client.get(CHANGELIST, {"q": words})
    assert response.status_code == 200
    return sorted(c.slug for c in response.context["cl"].result_list)


def test_search_finds_a_claim_by_slug_statement_quote_speaker_or_source_title(client, editor):
    source = SourceFactory(title="The Minsk monitoring report")
    claim = ClaimFactory(
        source=source,
        slug="detentions-in-august",
        statement="Thousands were detained in August",
        attributed_to="Viasna monitors",
    )
    ClaimFactory(slug="unrelated", statement="Something else", attributed_to="Someone")
    client.force_login(editor)
    for words in [
        "detentions-in-aug",
        "DETAINED in august",
        "police DETAINED",  # in the quote
        "viasna",
        "minsk monitoring",
        '"thousands were"',
    ]:
        assert claim.slug in found(client, words), words
    assert found(client, "minsk unrelated") == []  # every word must match
    assert found(client, "nothing-like-this") == []


@pytest.mark.postgres_only
def test_the_admin_search_can_use_the_trigram_indexes_on_postgresql(editor):
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    request = RequestFactory().get(CHANGELIST, {"q": "torture"})
    request.user = editor
    admin = site._registry[Claim]
    queryset, _ = admin.get_search_results(request, Claim.objects.all(), "torture")
    with connection.cursor() as cursor:
        # On a table this small any plan will do: forbid reading it whole, or in
        # index order, to see whether the trigram indexes fit the search's SQL.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = queryset.order_by().query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for column in ["statement", "quote", "attributed_to", "slug"]:
        assert f"claim_{column}_trgm" in plan, plan


# Permissions ------------------------------------------------------------------------


def test_the_desk_pages_still_need_a_login_and_the_view_permission(client, sample):
    outsider = user_with_role("olga")  # staff, in no editorial group
    for name, url in pages(sample).items():
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], name
    client.force_login(outsider)
    for name, url in pages(sample).items():
        if name == "dashboard":
            assert client.get(url).status_code == 200  # the desk, with nothing on it
            continue
        assert client.get(url).status_code == 403, name


@pytest.mark.parametrize("role", [Role.RESEARCHER, Role.FACT_CHECKER, Role.EDITOR])
def test_every_role_sees_every_desk_page(client, role, sample):
    client.force_login(user_with_role("someone", role))
    for name, url in pages(sample).items():
        assert client.get(url).status_code == 200, (role, name)
