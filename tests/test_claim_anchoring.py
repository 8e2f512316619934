"""Claims are anchored on save, and re-anchored when their source text changes."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, models, transaction

from factcheck.anchoring import QuoteAmbiguous, QuoteNotFound
from factcheck.history import recorded_change
from factcheck.models import Claim, ClaimKind
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def new_claim(source, quote, **fields):
    return Claim(
        source=source,
        slug=fields.pop("slug", "a-claim"),
        statement="A claim",
        quote=quote,
        attributed_to="Someone",
        kind=ClaimKind.FINDING,
        **fields,
    )


def save(obj, reason="test"):
    with recorded_change(reason=reason):
        obj.save()


def change_text(source, text, reason="Corrected the stored text"):
    source.text = text
    with recorded_change(reason=reason):
        source.save()
    return source.reanchor_report


def test_saving_a_claim_anchors_a_unique_quote(source):
    claim = new_claim(source, "Police detained thousands")
    save(claim)
    claim.refresh_from_db()
    assert source.text[claim.quote_start : claim.quote_end] == "Police detained thousands"
    assert claim.quote_prefix == source.text[claim.quote_start - 32 : claim.quote_start]
    assert claim.quote_suffix == source.text[claim.quote_end : claim.quote_end + 32]


def test_saving_a_claim_whose_quote_is_not_in_the_source_is_refused(source):
    claim = new_claim(source, "Police detained millions")
    with pytest.raises(QuoteNotFound, match="does not occur in the source’s stored text"):
        save(claim)
    assert not Claim.objects.exists()


def test_a_repeated_quote_needs_an_offset_and_the_refusal_lists_occurrences(source):
    claim = new_claim(source, "The report found “massive” abuses")
    with pytest.raises(QuoteAmbiguous) as error:
        save(claim)
    assert "occurs 2 times" in error.value.messages[0]
    assert not Claim.objects.exists()

    second = source.text.rindex("The report found “massive” abuses")
    claim.quote_start = second
    save(claim)
    claim.refresh_from_db()
    assert claim.quote_start == second
    assert claim.quote_suffix.startswith(" again.")


def test_a_quote_typed_with_plain_spaces_is_stored_as_the_article_has_it(article):
    # The article has narrow no-break spaces (U+202F) around "hundreds".
    claim = new_claim(article, "systematically subjecting hundreds to torture")
    save(claim)
    claim.refresh_from_db()
    assert claim.quote == "systematically subjecting\u202fhundreds\u202fto torture"
    assert article.text[claim.quote_start : claim.quote_end] == claim.quote


def test_clean_reports_anchor_problems_on_the_quote_field(source):
    claim = new_claim(source, 'The report found "massive" abuses')  # straight quotes
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "quote" in error.value.message_dict


def test_changed_text_moves_a_quote_found_once_and_records_the_move(claim):
    old_start = claim.quote_start
    report = change_text(claim.source, "A new opening line.\n\n" + claim.source.text)
    claim.refresh_from_db()
    assert claim.quote_start == old_start + len("A new opening line.\n\n")
    assert report.moved == [claim]
    latest = claim.history.first()
    assert latest.history_change_reason == (
        f"Re-anchored: quote moved from {old_start}–{old_start + 25} to "
        f"{claim.quote_start}–{claim.quote_end} "
        "(source text changed: Corrected the stored text)"
    )
    assert claim.history.count() == 2


def test_a_claim_whose_surroundings_change_stays_put_with_its_context_updated(claim):
    text = claim.source.text
    end = claim.quote_end
    report = change_text(claim.source, text[:end] + " (Reuters)" + text[end:])
    claim.refresh_from_db()
    assert report.context_changed == [claim] and report.moved == []
    assert claim.quote_suffix.startswith(" (Reuters)")
    assert claim.history.first().history_change_reason.startswith(
        f"Context updated: the text around the quote at {claim.quote_start}–{claim.quote_end}"
    )


def test_text_change_that_leaves_a_claim_in_place_writes_no_claim_history(claim):
    change_text(claim.source, claim.source.text + "\n\nA new closing paragraph.")
    assert claim.history.count() == 1


def test_quote_that_disappears_is_orphaned_not_moved(claim):
    report = change_text(claim.source, claim.source.text.replace("Police", "Soldiers"))
    claim.refresh_from_db()
    assert claim.orphaned
    assert claim.quote_start is None and claim.quote_end is None
    assert "no longer occurs" in claim.anchor_note
    assert report.orphaned == [claim]
    assert claim.history.first().history_change_reason.startswith("Orphaned:")
    assert list(Claim.objects.orphaned()) == [claim]


def test_quote_that_becomes_ambiguous_without_matching_context_is_orphaned(claim):
    text = (
        "Police detained thousands. Then police detained thousands? No: Police detained thousands."
    )
    change_text(claim.source, text)
    claim.refresh_from_db()
    assert claim.orphaned
    assert "occurs 2 times" in claim.anchor_note


def test_repeated_quote_stays_put_when_its_context_still_picks_it(source):
    second = source.text.rindex("The report found “massive” abuses")
    claim = ClaimFactory(
        source=source, quote="The report found “massive” abuses", quote_start=second
    )
    change_text(source, source.text.replace("Headline:", "Title:"))
    claim.refresh_from_db()
    assert not claim.orphaned
    assert claim.quote_start == second - 3


def test_orphaned_claim_is_restored_when_its_quote_returns(claim):
    original = claim.source.text
    change_text(claim.source, original.replace("Police", "Soldiers"))
    report = change_text(claim.source, original, reason="Reverted the text")
    claim.refresh_from_db()
    assert not claim.orphaned
    assert report.restored == [claim]
    assert claim.history.count() == 3


def test_saving_an_orphaned_claim_requires_a_quote_that_anchors(claim):
    change_text(claim.source, claim.source.text.replace("Police", "Soldiers"))
    claim.refresh_from_db()
    claim.attributed_to = "Edited while orphaned"
    with pytest.raises(QuoteNotFound):
        save(claim)
    claim.quote = "Soldiers detained thousands"
    save(claim, reason="Fixed the quote after the text changed")
    claim.refresh_from_db()
    assert not claim.orphaned and claim.quote_start is not None


def test_text_change_and_reanchoring_are_one_transaction(claim, monkeypatch):
    source = claim.source
    original = source.text

    def boom(*args, **kwargs):
        raise RuntimeError("re-anchoring failed")

    monkeypatch.setattr("factcheck.reanchoring.reanchor_claims", boom)
    source.text = "Police detained thousands, said the new text."
    with pytest.raises(RuntimeError), recorded_change(reason="test"):
        source.save()
    source.refresh_from_db()
    assert source.text == original
    assert source.history.count() == 1


def test_source_hash_is_the_sha256_of_its_text(source):
    import hashlib

    assert source.text_sha256 == hashlib.sha256(source.text.encode()).hexdigest()


def test_orphaned_claims_command_lists_them(claim, capsys):
    change_text(claim.source, "Unrelated text.")
    call_command("orphaned_claims")
    out = capsys.readouterr().out
    assert claim.slug in out and "1 orphaned claim." in out


def test_database_refuses_an_anchor_that_does_not_span_the_quote(claim):
    claim.quote_end = claim.quote_start + 3
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Model.save(claim)  # bypass anchoring to reach the database check


def test_database_refuses_an_unknown_verdict(claim):
    claim.verdict = "true-ish"
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Model.save(claim)


def test_a_claim_cannot_cite_its_own_source(claim):
    from factcheck.models import Citation, Stance

    citation = Citation(claim=claim, source=claim.source, stance=Stance.SUPPORTS)
    with pytest.raises(ValidationError, match="cannot be evidence for itself"):
        citation.full_clean()


def test_a_source_with_claims_cannot_be_deleted(claim):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError), recorded_change(reason="test"):
        claim.source.delete()


def test_new_source_starts_without_reanchoring():
    source = SourceFactory()
    assert source.reanchor_report is None
