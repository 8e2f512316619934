"""The desk's history pages can be read: long text changes show the words that
changed, times are readable, and any two versions can be compared, for sources,
claims and citations."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck import workflow
from factcheck.history import recorded_change
from factcheck.word_diff import Segment, word_diff
from tests.factories import CitationFactory, ClaimFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

# A long note: the edit changes one word in its middle.
WORDS = [f"w{n:02}" for n in range(60)]
LONG_NOTE = " ".join(WORDS)
EDITED_NOTE = LONG_NOTE.replace("w30", "thirty")


def history_url(obj):
    return reverse(f"admin:factcheck_{obj._meta.model_name}_history", args=[obj.pk])


def compare_url(obj, older, newer):
    address = reverse(f"admin:factcheck_{obj._meta.model_name}_history_compare", args=[obj.pk])
    return f"{address}?from={older.history_id}&to={newer.history_id}"


def edit_claim(claim, user, reason="Edited", **changes):
    claim.refresh_from_db()
    for name, value in changes.items():
        setattr(claim, name, value)
    workflow.save_edit(claim, user=user, reason=reason)
    claim.refresh_from_db()
    return claim


def changes_cell(html):
    """The history table, where the changes are listed."""
    return html[html.index('id="change-history"') :]


# Word-level differences -------------------------------------------------------------


def test_a_long_text_change_shows_the_changed_word_in_its_context(client, editor):
    claim = ClaimFactory(notes=LONG_NOTE)
    edit_claim(claim, editor, notes=EDITED_NOTE)
    client.force_login(editor)

    table = changes_cell(client.get(history_url(claim)).content.decode())

    assert "<del>w30</del>" in table and "<ins>thirty</ins>" in table
    assert "chars]" not in table
    # Nearby words give the context; words far from the change are left out, said so.
    assert "w27 w28 w29" in table and "w31 w32 w33" in table
    assert "w05" not in table and "w55" not in table
    assert "words not shown" in table


def test_word_diff_marks_whole_words_and_shortens_only_unchanged_text():
    segments = word_diff(LONG_NOTE, LONG_NOTE.replace("w30 w31", "w30, thirty-one"), context=3)

    assert [s for s in segments if s.kind in ("deleted", "inserted")] == [
        Segment("deleted", "w30 w31"),
        Segment("inserted", "w30, thirty-one"),
    ]
    assert segments[0] == Segment("gap", "", skipped=27)
    assert segments[1] == Segment("same", "w27 w28 w29 ")
    assert segments[-2:] == [Segment("same", " w32 w33 w34"), Segment("gap", "", skipped=25)]
    # Put back together, the text on each side is the text it was (minus the gaps).
    kept = "".join(s.text for s in segments if s.kind != "inserted")
    assert kept == "w27 w28 w29 w30 w31 w32 w33 w34"


def test_word_diff_keeps_the_context_between_two_distant_changes_short():
    new = LONG_NOTE.replace("w10", "ten").replace("w50", "fifty")

    segments = word_diff(LONG_NOTE, new, context=2)

    kinds = [s.kind for s in segments]
    assert kinds == [
        "gap",
        "same",
        "deleted",
        "inserted",
        "same",
        "gap",
        "same",
        "deleted",
        "inserted",
        "same",
        "gap",
    ]
    assert segments[5].skipped == 35  # w13 … w47


def test_word_diff_shows_a_few_unchanged_words_rather_than_counting_them():
    segments = word_diff(LONG_NOTE, LONG_NOTE.replace("w05", "five"), context=3)

    # Five words before the change are shown: "[… 2 words not shown …]" would be longer.
    assert segments[0] == Segment("same", "w00 w01 w02 w03 w04 ")
    assert segments[-1] == Segment("gap", "", skipped=51)


def test_word_diff_of_a_change_of_spacing_only_says_so():
    segments = word_diff("One paragraph.\n\nAnother.", "One paragraph. Another.")

    assert [s.kind for s in segments] == ["spacing"]


def test_word_diff_of_added_text_shows_it_inserted():
    assert word_diff("", "New words") == [Segment("inserted", "New words")]
    assert word_diff("Old words", "") == [Segment("deleted", "Old words")]


def test_hostile_text_in_a_change_is_shown_as_text_never_as_markup(client, editor):
    claim = ClaimFactory(notes="A harmless note.")
    edit_claim(claim, editor, notes='A <script>alert("x")</script> note <b onmouseover=x>.')
    client.force_login(editor)

    for address in (
        history_url(claim),
        compare_url(claim, *reversed(claim.history.order_by("-history_date")[:2])),
    ):
        html = client.get(address).content.decode()
        assert "<script>alert" not in html and "<b onmouseover" not in html, address
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html, address


def test_a_change_of_choice_or_relation_is_shown_whole_with_its_label(client, editor):
    claim = ClaimFactory()
    other = SourceFactory(title="Another report")
    edit_claim(claim, editor, source=other, kind="finding")
    client.force_login(editor)

    table = changes_cell(client.get(history_url(claim)).content.decode())

    assert f"<del>{claim.history.last().source.title}</del>" in table
    assert "<ins>Another report</ins>" in table
    assert "<del>Statistic</del>" in table and "<ins>Finding</ins>" in table


# Readable times ------------------------------------------------------------------------


def set_history_date(record, when):
    type(record).objects.filter(pk=record.pk).update(history_date=when)


@pytest.mark.parametrize(
    ("zone", "shown"),
    [("UTC", "5 Mar 2026, 09:07 UTC"), ("Europe/Berlin", "5 Mar 2026, 10:07 CET")],
)
def test_history_times_are_readable_in_the_active_time_zone(client, editor, settings, zone, shown):
    settings.TIME_ZONE = zone
    claim = ClaimFactory()
    set_history_date(
        claim.history.get(), datetime.datetime(2026, 3, 5, 9, 7, 30, 123456, tzinfo=datetime.UTC)
    )
    client.force_login(editor)

    html = client.get(history_url(claim)).content.decode()

    offset = "+00:00" if zone == "UTC" else "+01:00"
    hour = "09" if zone == "UTC" else "10"
    assert f'<time datetime="2026-03-05T{hour}:07:30{offset}">{shown}</time>' in html
    assert ".123456" not in html


# Comparing two versions --------------------------------------------------------------


@pytest.fixture
def edited_claim(editor, researcher):
    """A claim edited three times, by two people: statement, notes, then attribution."""
    claim = ClaimFactory(statement="Police detained thousands", notes=LONG_NOTE)
    edit_claim(claim, researcher, reason="Sharper statement", statement="Police held thousands")
    edit_claim(claim, editor, reason="Note corrected", notes=EDITED_NOTE)
    edit_claim(claim, editor, reason="Named the speaker", attributed_to="The report's authors")
    return claim


def test_history_page_offers_to_compare_any_two_versions(client, editor, edited_claim):
    client.force_login(editor)
    newest, second, *_, oldest = edited_claim.history.order_by("-history_date", "-history_id")

    html = client.get(history_url(edited_claim)).content.decode()

    action = reverse("admin:factcheck_claim_history_compare", args=[edited_claim.pk])
    assert f'action="{action}"' in html
    for record in (newest, second, oldest):
        assert f'name="from" value="{record.history_id}"' in html
        assert f'name="to" value="{record.history_id}"' in html
    # By default, the latest change: the version before it against the newest.
    assert re.search(rf'name="from" value="{second.history_id}"[^>]* checked', html)
    assert re.search(rf'name="to" value="{newest.history_id}"[^>]* checked', html)


def test_compare_shows_every_field_that_differs_with_who_when_and_why(client, editor, edited_claim):
    records = list(edited_claim.history.order_by("history_date", "history_id"))
    first, last = records[0], records[-1]
    client.force_login(editor)

    response = client.get(compare_url(edited_claim, first, last))

    assert response.status_code == 200
    html = response.content.decode()
    differences = html[html.index('id="differences"') :]
    # Three edits apart: the statement, the note and the attribution all differ.
    assert "Police <del>detained</del><ins>held</ins> thousands" in differences
    assert "<del>w30</del><ins>thirty</ins>" in differences
    assert "<del>Example Publisher</del>" in differences
    assert "<ins>The report&#x27;s authors</ins>" in differences
    for record in (first, last):
        assert record.history_change_reason in html
        assert f'datetime="{record.history_date.isoformat(timespec="seconds")}"' in html
    assert "Created by a test factory" in html and "Named the speaker" in html
    assert ">ed<" in html  # who made the newer version


def test_compare_puts_the_older_version_first_whichever_way_it_is_asked(
    client, editor, edited_claim
):
    first, last = edited_claim.history.earliest("history_date"), edited_claim.history.first()
    client.force_login(editor)

    html = client.get(compare_url(edited_claim, last, first)).content.decode()

    assert "Police <del>detained</del><ins>held</ins> thousands" in html


def test_compare_of_a_version_with_itself_says_nothing_differs(client, editor, edited_claim):
    record = edited_claim.history.first()
    client.force_login(editor)

    html = client.get(compare_url(edited_claim, record, record)).content.decode()

    assert "No field differs" in html


def test_compare_works_for_sources_and_citations(client, editor, superuser):
    source = SourceFactory(title="First title", notes="Kept in the archive.")
    with recorded_change(reason="Retitled", user=editor):
        source.title = "Second title"
        source.save()
    citation = CitationFactory(passage="Evidence text.", locator="p. 4")
    citation.locator = "p. 5"
    with workflow.editing(citation.claim, user=editor, reason="Page fixed"):
        citation.save()
    client.force_login(editor)

    for obj, shown in (
        (source, "<del>First</del><ins>Second</ins> title"),
        (citation, "p. <del>4</del><ins>5</ins>"),
    ):
        first, last = obj.history.earliest("history_date"), obj.history.latest("history_date")
        response = client.get(compare_url(obj, first, last))
        assert response.status_code == 200, obj
        assert shown in response.content.decode(), obj


def test_compare_needs_the_right_to_view_the_objects_history(client, edited_claim):
    first, last = edited_claim.history.earliest("history_date"), edited_claim.history.first()
    address = compare_url(edited_claim, first, last)

    response = client.get(address)  # anonymous
    assert response.status_code == 302 and "/login/" in response["Location"]

    client.force_login(UserFactory(username="staff-without-permissions"))
    assert client.get(address).status_code == 403
    assert client.get(history_url(edited_claim)).status_code == 403

    viewer = UserFactory(username="claim-viewer")
    viewer.user_permissions.set(Permission.objects.filter(codename="view_claim"))
    client.force_login(viewer)
    assert client.get(address).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "from=abc&to=1",
        "from=1&to=",
        "from=1.5&to=2",
        "from=99999999&to=99999999",
        "from=-1&to=2",
        "from=1&to=99999999999999999999999999",
        "from=999999999999&to=999999999999999999",
    ],
)
def test_compare_of_malformed_or_unknown_versions_is_not_found(client, editor, claim, query):
    client.force_login(editor)
    address = reverse("admin:factcheck_claim_history_compare", args=[claim.pk])

    assert client.get(f"{address}?{query}").status_code == 404


def test_compare_refuses_a_version_of_another_object(client, editor, claim):
    other = ClaimFactory()
    client.force_login(editor)
    mine, theirs = claim.history.get(), other.history.get()

    assert client.get(compare_url(claim, mine, theirs)).status_code == 404
    for address in ("abc", "99999999999999999999999999", "-1"):
        for model in ("claim", "source", "citation"):
            bad_object = reverse(f"admin:factcheck_{model}_history_compare", args=[address])
            assert client.get(f"{bad_object}?from=1&to=2").status_code == 404, bad_object


def test_compare_without_versions_chosen_goes_back_to_the_history(client, editor, claim):
    client.force_login(editor)
    address = reverse("admin:factcheck_claim_history_compare", args=[claim.pk])

    response = client.get(address, follow=True)

    assert response.redirect_chain == [(history_url(claim), 302)]
    assert "Choose two versions to compare" in response.content.decode()


STATEMENT = "SECRET-STATEMENT of a draft claim"
OTHER_STATEMENT = "OTHER-SECRET statement of a second draft"


def test_citation_compare_shows_no_claim_statement_without_view_claim(client, superuser):
    claim = ClaimFactory(statement=STATEMENT)
    other = ClaimFactory(statement=OTHER_STATEMENT, source=claim.source, evidence=False)
    citation = claim.citations.get()
    citation.claim = other
    with workflow.editing(other, user=superuser, reason="Moved"):
        citation.save()
    first, last = citation.history.earliest("history_date"), citation.history.latest("history_date")
    staff = UserFactory(username="citations-only")
    staff.user_permissions.set(Permission.objects.filter(codename="view_citation"))
    client.force_login(staff)

    html = client.get(compare_url(citation, first, last)).content.decode()

    assert STATEMENT not in html and OTHER_STATEMENT not in html
    assert f"claim #{claim.pk}" in html and f"claim #{other.pk}" in html


def test_compare_makes_as_many_queries_for_two_versions_as_for_thirty(client, editor):
    claim = ClaimFactory(notes=LONG_NOTE)
    client.force_login(editor)

    def queries_to_compare():
        first, last = claim.history.earliest("history_date"), claim.history.first()
        address = compare_url(claim, first, last)
        client.get(address)  # warm the session and content-type caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured)

    edit_claim(claim, editor, notes=EDITED_NOTE)
    few = queries_to_compare()
    for n in range(28):
        edit_claim(claim, editor, reason=f"Edit {n}", notes=f"{EDITED_NOTE} {n}")
    assert queries_to_compare() == few


def test_claim_page_recent_history_shows_words_and_readable_times(client, editor):
    claim = ClaimFactory(notes=LONG_NOTE)
    edit_claim(claim, editor, notes=EDITED_NOTE)
    latest, created = claim.history.all()
    set_history_date(created, datetime.datetime(2026, 3, 4, 12, 0, tzinfo=datetime.UTC))
    set_history_date(latest, datetime.datetime(2026, 3, 5, 9, 7, 30, tzinfo=datetime.UTC))
    client.force_login(editor)

    html = client.get(reverse("admin:factcheck_claim_change", args=[claim.pk])).content.decode()

    recent = html[html.index('id="recent-history"') :]
    assert "<del>w30</del><ins>thirty</ins>" in recent
    assert "w55" not in recent and "words not shown" in recent
    assert '<time datetime="2026-03-05T09:07:30+00:00">5 Mar 2026, 09:07 UTC</time>' in recent


def test_versions_of_a_deleted_source_can_still_be_compared(client, editor):
    source = SourceFactory(title="First title")
    with recorded_change(reason="Retitled", user=editor):
        source.title = "Second title"
        source.save()
    first, renamed = source.history.order_by("history_date", "history_id")
    address = compare_url(source, first, renamed)
    with recorded_change(reason="Duplicate", user=editor):
        source.delete()
    client.force_login(editor)

    response = client.get(address)

    assert response.status_code == 200
    assert "<del>First</del><ins>Second</ins> title" in response.content.decode()


def test_dates_and_times_in_changes_are_readable(client, editor, researcher, factchecker):
    citation = CitationFactory(accessed_on=None)
    citation.accessed_on = datetime.date(2026, 3, 5)
    with workflow.editing(citation.claim, user=editor, reason="Dated the visit"):
        citation.save()
    claim = citation.claim
    workflow.submit(claim, user=researcher)
    workflow.approve(
        claim, user=factchecker, verdict="accurate", rationale="Yes.", fidelity="not_applicable"
    )
    client.force_login(editor)

    dated = changes_cell(client.get(history_url(citation)).content.decode())
    approved = changes_cell(client.get(history_url(claim)).content.decode())

    assert '<span class="quiet">(empty)</span> → <ins>5 Mar 2026</ins>' in dated
    assert re.search(
        r"Approved at:</strong> .*→ <ins>\d{1,2} \w{3} 20\d\d, \d\d:\d\d UTC</ins>", approved
    )
