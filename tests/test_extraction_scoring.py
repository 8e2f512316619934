"""The extraction benchmark's scoring (benchmarks/extraction_scoring.py, a copy of
the Article Extraction Benchmark's evaluate.py) on examples small enough to
check by hand. The words are synthetic: they only exercise the arithmetic."""

import pytest

from benchmarks.extraction_scoring import evaluate, string_shingle_matching

FIVE = "one two three four five"


def test_shingles_are_four_words_and_counts_are_normalised_to_one():
    # Truth: (one two three four), (two three four five). Prediction: (one two three
    # four), (two three four six). One shared, one extra, one missed: 1/3 each.
    assert string_shingle_matching(true=FIVE, pred="one two three four six") == pytest.approx(
        (1 / 3, 1 / 3, 1 / 3)
    )
    # Case counts ("One" is not "one"); punctuation and spacing are not words; a
    # text under four words is one shingle.
    assert string_shingle_matching(true=FIVE, pred="One " + FIVE[4:]) == pytest.approx(
        (1 / 3, 1 / 3, 1 / 3)
    )
    assert string_shingle_matching(true=FIVE, pred="one, two;\nthree  four five!") == (1.0, 0, 0)
    assert string_shingle_matching(true="a b", pred="a b") == (1.0, 0.0, 0.0)
    assert string_shingle_matching(true=FIVE, pred="") == (0.0, 0.0, 1.0)


def test_f1_is_the_harmonic_mean_of_mean_precision_and_mean_recall_over_pages():
    truth = {"a": {"articleBody": FIVE}, "b": {"articleBody": FIVE}, "c": {"articleBody": FIVE}}
    prediction = {
        "a": {"articleBody": "one two three four six"},  # precision 1/2, recall 1/2
        "b": {"articleBody": FIVE},  # precision 1, recall 1
        "c": {"articleBody": ""},  # no precision (nothing predicted), recall 0
    }
    metrics = evaluate(truth, prediction, n_bootstrap=20)
    precision, recall = (0.5 + 1) / 2, (0.5 + 1 + 0) / 3
    assert metrics["precision"] == pytest.approx(0.75)
    assert metrics["recall"] == pytest.approx(0.5)
    assert metrics["f1"] == pytest.approx(2 * precision * recall / (precision + recall))
    assert metrics["f1"] == pytest.approx(0.6)
    assert metrics["accuracy"] == pytest.approx(1 / 3)  # only "b" has exactly the words
    assert metrics["f1_std"] > 0


def test_the_same_seed_gives_the_same_spread_and_keys_must_match():
    truth = {"a": {"articleBody": FIVE}, "b": {"articleBody": "six seven eight nine ten"}}
    prediction = {"a": {"articleBody": FIVE}, "b": {"articleBody": "six seven eight nine"}}
    assert evaluate(truth, prediction, n_bootstrap=50) == evaluate(
        truth, prediction, n_bootstrap=50
    )
    with pytest.raises(ValueError, match="do not match"):
        evaluate(truth, {"a": prediction["a"]}, n_bootstrap=1)
