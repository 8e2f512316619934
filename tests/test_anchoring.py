"""The anchoring rules, on plain strings: no database needed."""

import pytest

from factcheck.anchoring import (
    CONTEXT_CHARS,
    OffsetMismatch,
    QuoteAmbiguous,
    QuoteNotFound,
    anchor_quote,
    find_occurrences,
    paragraph_bounds,
    relocate,
)

TEXT = "Alpha said “yes”. Beta said “no”. Alpha said “yes” again."


def test_unique_quote_anchors_at_its_position():
    anchor = anchor_quote(TEXT, "Beta said")
    assert (anchor.start, anchor.end) == (18, 27)
    assert TEXT[anchor.start : anchor.end] == "Beta said"
    assert anchor.prefix == "Alpha said “yes”. "
    assert anchor.suffix == TEXT[27 : 27 + CONTEXT_CHARS]


def test_context_is_32_characters_either_side_when_available():
    text = "x" * 50 + "QUOTE" + "y" * 50
    anchor = anchor_quote(text, "QUOTE")
    assert anchor.prefix == "x" * 32 and anchor.suffix == "y" * 32


def test_repeated_quote_without_offset_is_refused_with_each_occurrence_listed():
    with pytest.raises(QuoteAmbiguous) as error:
        anchor_quote(TEXT, "Alpha said “yes”")
    message = error.value.messages[0]
    assert "occurs 2 times" in message
    assert "at character 0" in message and "at character 34" in message
    assert error.value.occurrences == [0, 34]


def test_repeated_quote_with_offset_picks_that_occurrence():
    anchor = anchor_quote(TEXT, "Alpha said “yes”", start=34)
    assert (anchor.start, anchor.end) == (34, 50)
    assert anchor.suffix == " again."


def test_offset_that_is_not_an_occurrence_is_refused():
    with pytest.raises(OffsetMismatch, match="start offset 5 is not where"):
        anchor_quote(TEXT, "Alpha said “yes”", start=5)


def test_missing_quote_is_refused_with_a_clear_message():
    with pytest.raises(QuoteNotFound, match="does not occur in the source’s stored text"):
        anchor_quote(TEXT, "Gamma said")


def test_empty_quote_is_refused():
    with pytest.raises(QuoteNotFound, match="empty"):
        anchor_quote(TEXT, "")


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("said “yes”", 'said "yes"'),  # typographic vs straight double quotes
        ("don’t", "don't"),  # typographic apostrophe
        ("(Berlin) – A new", "(Berlin) - A new"),  # en dash vs hyphen
        ("protests\u00a0that swept", "protests that swept"),  # no-break space
        ("subjecting\u202fhundreds", "subjecting hundreds"),  # narrow no-break space
    ],
)
def test_typographic_characters_are_matched_exactly(stored, typed):
    text = f"Before. {stored}. After."
    assert anchor_quote(text, stored).start == 8
    with pytest.raises(QuoteNotFound):
        anchor_quote(text, typed)


def test_overlapping_occurrences_are_all_found():
    assert find_occurrences("aaaa", "aa") == [0, 1, 2]


def test_relocate_moves_a_quote_found_once():
    new_text = "New first sentence. " + TEXT
    anchor = anchor_quote(TEXT, "Beta said")
    found = relocate(new_text, "Beta said", anchor.prefix, anchor.suffix)
    assert found.anchor.start == anchor.start + len("New first sentence. ")


def test_relocate_orphans_a_quote_that_is_gone():
    anchor = anchor_quote(TEXT, "Beta said")
    found = relocate(TEXT.replace("Beta", "Gamma"), "Beta said", anchor.prefix, anchor.suffix)
    assert found.anchor is None
    assert "no longer occurs" in found.problem


def test_relocate_uses_recorded_context_to_pick_among_several():
    anchor = anchor_quote(TEXT, "Alpha said “yes”", start=34)
    found = relocate("Intro. " + TEXT, "Alpha said “yes”", anchor.prefix, anchor.suffix)
    assert found.anchor.start == 34 + len("Intro. ")


def test_relocate_never_picks_a_lookalike_when_context_does_not_single_one_out():
    anchor = anchor_quote(TEXT, "Beta said")
    changed = "Beta said maybe. Beta said perhaps."
    found = relocate(changed, "Beta said", anchor.prefix, anchor.suffix)
    assert found.anchor is None
    assert "occurs 2 times" in found.problem


def test_paragraph_bounds_stop_at_blank_lines():
    text = "One.\n\nTwo has the quote here.\n\nThree."
    start = text.index("quote")
    para_start, para_end = paragraph_bounds(text, start, start + 5)
    assert text[para_start:para_end] == "Two has the quote here."
