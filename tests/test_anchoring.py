"""The anchoring rules, on plain strings: no database needed."""

import unicodedata

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
    same_spaces,
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
        ("protests\nthat swept", "protests that swept"),  # a line break is not a space
        ("protests\u00a0that swept", "protests  that swept"),  # one space for one space
    ],
)
def test_typographic_characters_are_matched_exactly(stored, typed):
    text = f"Before. {stored}. After."
    assert anchor_quote(text, stored).start == 8
    with pytest.raises(QuoteNotFound):
        anchor_quote(text, typed)


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("protests\u00a0that swept", "protests that swept"),  # no-break space
        ("subjecting\u202fhundreds\u202fto", "subjecting hundreds to"),  # narrow no-break
        ("served to\u00a0increase", "served\u2009to increase"),  # thin space typed
    ],
)
def test_a_quote_typed_with_other_spaces_anchors_and_keeps_the_texts_characters(stored, typed):
    text = f"Before. {stored}. After."
    anchor = anchor_quote(text, typed)
    assert (anchor.start, anchor.end) == (8, 8 + len(stored))
    assert anchor.quote == stored


def test_a_quote_found_as_typed_is_anchored_there_even_if_spaces_differ_elsewhere():
    text = "One: protests\u00a0that swept. Two: protests that swept."
    anchor = anchor_quote(text, "protests that swept")
    assert anchor.start == text.rindex("protests that swept")
    assert anchor.quote == "protests that swept"


def test_a_quote_found_twice_only_with_spaces_equated_is_ambiguous():
    text = "One: protests\u00a0that swept. Two: protests\u202fthat swept."
    with pytest.raises(QuoteAmbiguous) as error:
        anchor_quote(text, "protests that swept")
    assert "occurs 2 times" in error.value.messages[0]
    second = text.rindex("protests")
    anchor = anchor_quote(text, "protests that swept", start=second)
    assert anchor.quote == "protests\u202fthat swept"


def test_every_unicode_space_separator_counts_as_a_space_and_nothing_else_does():
    spaces = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Zs"]
    assert same_spaces("".join(spaces)) == " " * len(spaces)
    assert same_spaces("a\tb\nc\u200bd") == "a\tb\nc\u200bd"  # tab, line break, zero width


def test_a_missing_quote_is_refused_naming_the_closest_match_and_the_character_that_differs():
    with pytest.raises(QuoteNotFound) as error:
        anchor_quote(TEXT, 'Beta said "no"')
    message = error.value.messages[0]
    assert "The closest match is at character 18" in message
    assert "(the first 10 characters of your quote)" in message
    assert (
        'the text has “ (LEFT DOUBLE QUOTATION MARK) where you typed " (QUOTATION MARK)' in message
    )


def test_a_missing_quote_names_a_differing_space_by_its_name():
    with pytest.raises(QuoteNotFound) as error:
        anchor_quote("Two.\n\nThree.", "Two. Three.")
    assert "the text has a LINE FEED where you typed a SPACE" in error.value.messages[0]


def test_a_quote_running_past_the_end_of_the_text_says_so():
    with pytest.raises(QuoteNotFound) as error:
        anchor_quote(TEXT, "said “yes” again. And more")
    assert "The text ends there, before the rest of your quote." in error.value.messages[0]


def test_a_quote_with_no_character_in_the_text_says_so():
    with pytest.raises(QuoteNotFound) as error:
        anchor_quote(TEXT, "Ω")
    assert (
        "Not even its first character, Ω (GREEK CAPITAL LETTER OMEGA)" in (error.value.messages[0])
    )


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
