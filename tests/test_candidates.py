"""Candidate claims: proposed sentences a researcher accepts, edits then accepts, or dismisses."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from factcheck.candidates import deciding, sentences
from factcheck.candidates.finding import propose
from factcheck.candidates.proposing import propose_candidates
from factcheck.history import ChangeReasonRequired, recorded_change
from factcheck.models import CandidateClaim, CandidateStatus, Claim, ClaimStatus

TORTURE = "Hundreds of people were subjected to torture and ill-treatment in detention."


def _candidate(source, words):
    return CandidateClaim.objects.get(source=source, text__contains=words)


@pytest.fixture
def proposed(article, researcher):
    propose_candidates(article, user=researcher, reason="Test: propose the article's candidates")
    return article


# Splitting, signals, ranking (no database) ----------------------------------


def test_sentences_keep_exact_offsets_and_abbreviations():
    # Synthetic text for the edge cases: an abbreviation, a closing quote, a new paragraph.
    text = "Mr. Smith said “we found 12 cases.” Then he left.\n\nThe U.S. report came out."
    split = sentences.split(text)
    assert [s.text for s in split] == [
        "Mr. Smith said “we found 12 cases.”",
        "Then he left.",
        "The U.S. report came out.",
    ]
    assert all(text[s.start : s.end] == s.text for s in split)


def test_an_opening_quotation_mark_stays_with_its_sentence():
    text = "It was bad, Denber said. “Governments should act now.”"  # synthetic
    assert sentences.split(text)[1].text == "“Governments should act now.”"


def test_candidates_are_ranked_with_their_reasons_in_words(article):
    proposals = propose(article.text)
    assert proposals == sorted(proposals, key=lambda p: (-p.score, p.start))
    by_text = {p.text: p for p in proposals}
    torture = next(p for t, p in by_text.items() if "at least 178 journalists" in t)
    assert "a number" in torture.reasons and "an attribution" in torture.reasons
    assert all(article.text[p.start : p.end] == p.text for p in proposals)


def test_benchmark_code_on_a_tiny_input():
    from benchmarks.candidates import report, score

    text = "The police said 300 people were held on Monday. Nice weather.\nIt rained."  # synthetic
    result = score("tiny", text, [("300 people were held", None), ("It rained", None)])
    assert (result.claims, result.found, result.candidates, result.useful) == (2, 1, 1, 1)
    assert result.recall == 0.5 and result.precision == 1.0
    assert "| tiny | 2 | 1 | 50.0% | 1 | 1 | 100.0% |" in report([result])
    assert "“It rained”" in report([result])


# Proposing ------------------------------------------------------------------


def test_proposing_stores_candidates_with_history_and_is_idempotent(article, researcher):
    created = propose_candidates(article, user=researcher, reason="After the import")
    assert len(created) >= 20
    assert all(c.status == CandidateStatus.PROPOSED for c in created)
    record = created[0].history.get()
    assert record.history_user == researcher and record.history_change_reason == "After the import"
    assert propose_candidates(article, user=researcher, reason="Again") == []
    assert CandidateClaim.objects.filter(source=article).count() == len(created)
    assert not Claim.objects.filter(candidate__isnull=False).exists()  # never a claim by itself


def test_proposing_needs_a_reason_and_a_role_that_adds_claims(article, factchecker):
    with pytest.raises(ChangeReasonRequired):
        propose_candidates(article, user=None, reason=" ")
    with pytest.raises(PermissionDenied):
        propose_candidates(article, user=factchecker, reason="Trying")
    assert not CandidateClaim.objects.exists()


def test_command_proposes_for_a_source(article, researcher, capsys):
    call_command("propose_candidates", article.slug, "--user", researcher.username)
    first = CandidateClaim.objects.count()
    assert first and f"{first} new candidate claim(s)" in capsys.readouterr().out
    call_command("propose_candidates", article.slug)
    assert CandidateClaim.objects.count() == first
    assert "0 new candidate claim(s)" in capsys.readouterr().out


# Deciding in the admin ------------------------------------------------------


def test_the_ranked_list_shows_reasons_and_buttons(client, proposed, researcher):
    client.force_login(researcher)
    response = client.get(reverse("admin:factcheck_candidateclaim_source", args=[proposed.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "A number" in page and "an attribution" in page
    assert "Edit, then accept" in page and "Dismiss" in page


def test_accept_creates_a_draft_claim_anchored_exactly_with_history(client, proposed, researcher):
    candidate = _candidate(proposed, "at least 178 journalists")
    client.force_login(researcher)
    url = reverse("admin:factcheck_candidateclaim_accept_now", args=[candidate.pk])
    response = client.post(url, {"reason": "Checkable figure"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    claim = candidate.claim
    assert candidate.status == CandidateStatus.ACCEPTED
    assert candidate.decided_by == researcher and candidate.decision_reason == "Checkable figure"
    assert claim.status == ClaimStatus.DRAFT and claim.source == proposed
    assert claim.quote == candidate.text
    assert (claim.quote_start, claim.quote_end) == (candidate.start, candidate.end)
    assert proposed.text[claim.quote_start : claim.quote_end] == claim.quote
    record = claim.history.get()
    assert record.history_user == researcher
    assert record.history_change_reason == "Accepted a candidate claim: Checkable figure"
    assert candidate.history.latest().history_user == researcher
    assert researcher in claim.revision_editors.all()  # an author, for the four-eyes rule


def test_edit_then_accept_takes_the_researchers_quote_and_words(client, proposed, researcher):
    candidate = _candidate(proposed, "at least 178 journalists")
    client.force_login(researcher)
    url = reverse("admin:factcheck_candidateclaim_accept", args=[candidate.pk])
    assert client.get(url).status_code == 200
    form = {
        "quote": "at least 178 journalists",
        "statement": "At least 178 journalists faced repression after the election",
        "kind": "statistic",
        "attributed_to": "OSCE expert report",
        "reason": "Shortened to the figure",
    }
    response = client.post(url, form)
    assert response.status_code == 302
    claim = Claim.objects.get(candidate=candidate)
    assert claim.quote == "at least 178 journalists"
    assert candidate.start <= claim.quote_start < claim.quote_end <= candidate.end
    assert (claim.statement, claim.kind, claim.attributed_to) == (
        form["statement"],
        "statistic",
        "OSCE expert report",
    )


def test_edit_then_accept_refuses_a_quote_not_in_the_text(client, proposed, researcher):
    candidate = _candidate(proposed, "at least 178 journalists")
    client.force_login(researcher)
    url = reverse("admin:factcheck_candidateclaim_accept", args=[candidate.pk])
    response = client.post(
        url,
        {
            "quote": 'at least 178 "journalists"',
            "statement": "Journalists faced repression",
            "kind": "statistic",
            "attributed_to": "OSCE expert report",
            "reason": "Typed the quote",
        },
    )
    assert response.status_code == 400
    assert "QUOTATION MARK" in response.content.decode() or "not found" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PROPOSED
    assert not Claim.objects.filter(candidate=candidate).exists()


def test_dismiss_is_remembered_and_not_proposed_again(client, proposed, researcher):
    candidate = _candidate(proposed, "Getty Images")
    client.force_login(researcher)
    url = reverse("admin:factcheck_candidateclaim_dismiss", args=[candidate.pk])
    assert client.post(url, {"reason": ""}).status_code == 302  # refused: no reason
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PROPOSED
    client.post(url, {"reason": "A photo credit, not a claim"})
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.DISMISSED
    assert candidate.decided_by == researcher
    record = candidate.history.latest()
    assert record.history_user == researcher
    assert (
        record.history_change_reason == "Dismissed a candidate claim: A photo credit, not a claim"
    )
    assert propose_candidates(proposed, user=researcher, reason="Re-import") == []
    assert CandidateClaim.objects.filter(source=proposed, text=candidate.text).count() == 1


def test_double_accept_creates_one_claim(client, proposed, researcher, editor):
    candidate = _candidate(proposed, "at least 178 journalists")
    claims_before = Claim.objects.count()
    client.force_login(researcher)
    url = reverse("admin:factcheck_candidateclaim_accept_now", args=[candidate.pk])
    client.post(url, {"reason": "First click"})
    second = client.post(url, {"reason": "Second click"}, follow=True)
    assert "already accepted" in second.content.decode()
    with pytest.raises(deciding.AlreadyDecided):  # a second tab, someone else
        deciding.accept(candidate, user=editor, reason="Second tab")
    with pytest.raises(deciding.AlreadyDecided):
        deciding.dismiss(candidate, user=editor, reason="Second tab")
    assert Claim.objects.filter(candidate=candidate).count() == 1
    assert Claim.objects.count() == claims_before + 1


@pytest.mark.parametrize("who", ["factchecker", "viewer"])
def test_who_cannot_add_claims_cannot_see_or_decide(client, proposed, who, request):
    user = request.getfixturevalue(who)
    candidate = _candidate(proposed, "at least 178 journalists")
    client.force_login(user)
    for name, args, method in [
        ("admin:factcheck_candidateclaim_source", [proposed.pk], client.get),
        ("admin:factcheck_candidateclaim_propose", [proposed.pk], client.post),
        ("admin:factcheck_candidateclaim_accept", [candidate.pk], client.get),
        ("admin:factcheck_candidateclaim_accept_now", [candidate.pk], client.post),
        ("admin:factcheck_candidateclaim_dismiss", [candidate.pk], client.post),
    ]:
        response = method(reverse(name, args=args), {"reason": "Trying"})
        assert response.status_code == 403, name
    with pytest.raises(PermissionDenied):
        deciding.accept(candidate, user=user, reason="Trying")
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PROPOSED
    assert not Claim.objects.filter(candidate=candidate).exists()


def test_the_source_admin_proposes_candidates(client, article, researcher):
    client.force_login(researcher)
    response = client.post(
        reverse("admin:factcheck_source_changelist"),
        {"action": "propose_candidate_claims", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    assert CandidateClaim.objects.filter(source=article).exists()
    change = client.get(reverse("admin:factcheck_source_change", args=[article.pk]))
    assert (
        reverse("admin:factcheck_candidateclaim_source", args=[article.pk])
        in change.content.decode()
    )


def test_the_list_names_claims_that_already_quote_a_candidate(client, proposed, researcher):
    existing = Claim.objects.get(source=proposed, quote__contains="at least 178 journalists")
    client.force_login(researcher)
    page = client.get(
        reverse("admin:factcheck_candidateclaim_source", args=[proposed.pk])
    ).content.decode()
    link = reverse("admin:factcheck_claim_change", args=[existing.pk])
    assert f'Already quoted by <a href="{link}">{existing.slug}</a>' in page


# In a browser -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_candidate_page_in_chromium(live_server, settings):
    """A researcher proposes candidates for the Guardian article (real HTML, test data),
    accepts the first one and dismisses another; screenshots for people to look at."""
    from pathlib import Path

    from benchmarks.candidates import GUARDIAN_HTML, article_text
    from factcheck.history import recorded_change
    from factcheck.models import Source
    from tests.conftest import ROOT, user_with_role

    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Chromium is not installed: apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    from factcheck.roles import Role

    user = user_with_role("rita", Role.RESEARCHER)
    user.set_password("candidate-test")
    user.save()
    with recorded_change(reason="Test data: the Guardian article (tests/data/articles)"):
        source = Source.objects.create(
            slug="guardian-2019-01-03-maori-whale-strandings",
            title="'What is the sea telling us?': Māori tribes fearful over whale strandings",
            publisher="The Guardian",
            byline="Eleanor Ainge Roy",
            url="https://www.theguardian.com/environment/2019/jan/03/what-is-the-sea-telling-us-maori-tribes-fearful-over-whale-strandings",
            text=article_text(GUARDIAN_HTML.read_text(encoding="utf-8")),
        )
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "rita")
        page.fill("#id_password", "candidate-test")
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        page.goto(f"{live_server.url}/admin/factcheck/candidateclaim/source/{source.pk}/")
        page.click("text=Propose candidate claims")
        page.wait_for_selector(".candidate-table")
        rows = page.locator("#content-main section").first.locator("tbody tr")
        assert rows.count() >= 30
        page.screenshot(path=str(artifacts / "candidates-list.png"), full_page=False)
        page.locator(".candidate-actions a").first.click()
        page.wait_for_selector("#id_statement")
        page.screenshot(path=str(artifacts / "candidates-accept.png"), full_page=True)
        page.click("input[value='Accept as a draft claim']")
        page.wait_for_selector(".messagelist .success")
        assert "/admin/factcheck/claim/" in page.url
        page.goto(f"{live_server.url}/admin/factcheck/candidateclaim/source/{source.pk}/")
        first = page.locator("#content-main section").first.locator("tbody tr").first
        first.get_by_label("Why dismiss").fill("Not a claim")
        first.locator("input[value=Dismiss]").click()
        page.wait_for_selector(".messagelist .success")
        page.locator("#decided-heading").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "candidates-decided.png"))
        browser.close()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_tabs_accepting_at_once_make_one_claim(researcher, editor, monkeypatch):
    """PostgreSQL, two real connections: the second accept waits for the first's
    row lock, then is refused; one claim is created."""
    import threading
    import time

    from django.db import connection

    from tests.factories import SourceFactory

    source = SourceFactory(
        text="The ministry said 40 people were detained on 9 August."
    )  # synthetic
    (candidate,) = propose_candidates(source, user=researcher, reason="Test")
    inside_first, finish_first = threading.Event(), threading.Event()
    real_anchor = deciding._anchor

    def anchor_then_pause(*args):
        anchor = real_anchor(*args)
        if threading.current_thread().name == "first":
            inside_first.set()  # the candidate's row is locked, nothing committed yet
            finish_first.wait(10)
        return anchor

    monkeypatch.setattr(deciding, "_anchor", anchor_then_pause)
    outcome = {}

    def run(name, user):
        try:
            deciding.accept(CandidateClaim.objects.get(pk=candidate.pk), user=user, reason=name)
            outcome[name] = "accepted"
        except deciding.AlreadyDecided as refused:
            outcome[name] = refused
        finally:
            connection.close()

    first = threading.Thread(name="first", target=run, args=("first", researcher))
    second = threading.Thread(name="second", target=run, args=("second", editor))
    first.start()
    assert inside_first.wait(10)
    second.start()
    time.sleep(0.5)
    assert second.is_alive(), "the second accept did not wait for the first one's lock"
    finish_first.set()
    first.join(10)
    second.join(10)
    assert outcome["first"] == "accepted"
    assert isinstance(outcome["second"], deciding.AlreadyDecided)
    assert "already accepted" in str(outcome["second"].messages[0])
    assert Claim.objects.filter(source=source).count() == 1


def test_list_pages_make_the_same_queries_however_many_are_decided(
    client, proposed, researcher, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(researcher)
    url = reverse("admin:factcheck_candidateclaim_source", args=[proposed.pk])
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for candidate in CandidateClaim.objects.filter(source=proposed)[:5]:
        deciding.dismiss(candidate, user=researcher, reason="Test")
    deciding.accept(
        CandidateClaim.objects.filter(source=proposed).proposed().first(),
        user=researcher,
        reason="Test",
    )
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(url).status_code == 200
    changelist = client.get(reverse("admin:factcheck_candidateclaim_changelist"))
    assert changelist.status_code == 200 and "Dismissed: Test" in changelist.content.decode()


def test_accept_finds_the_sentence_after_the_source_text_moved_it(proposed, researcher):
    candidate = _candidate(proposed, "at least 178 journalists")
    proposed.text = "A new first line.\n\n" + proposed.text
    with recorded_change(reason="Test: the publisher added a line", user=researcher):
        proposed.save()
    claim = deciding.accept(candidate, user=researcher, reason="Still there")
    assert claim.quote_start == candidate.start + len("A new first line.\n\n")
