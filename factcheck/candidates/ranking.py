"""How check-worthy a sentence is: a score from its signals, and the reasons in words."""

from dataclasses import dataclass

from factcheck.candidates.signals import Found, Signal

# What each signal adds to the score: a checkable fact names a figure, a time,
# a source for what it says, or someone who said or did something.
WEIGHTS = {
    Signal.NUMBER: 2.0,
    Signal.QUANTITY: 1.0,
    Signal.DATE: 1.5,
    Signal.QUOTATION: 2.0,
    Signal.ATTRIBUTION: 2.0,
    Signal.COMPARISON: 0.5,
    Signal.PERSON: 1.0,
    Signal.ORGANISATION: 1.0,
    Signal.NAME: 0.5,
}
# In the order the reasons are read out.
PHRASES = {
    Signal.NUMBER: "a number",
    Signal.QUANTITY: "a quantity",
    Signal.DATE: "a date",
    Signal.QUOTATION: "a quotation",
    Signal.ATTRIBUTION: "an attribution",
    Signal.COMPARISON: "a comparison",
    Signal.PERSON: "a named person",
    Signal.ORGANISATION: "a named organisation",
    Signal.NAME: "a name",
}
# Below this a sentence is not proposed: a lone place name or comparison is not enough.
THRESHOLD = 1.0
MIN_WORDS = 4


@dataclass(frozen=True)
class Ranked:
    score: float
    signals: tuple[str, ...]
    reasons: str


def words_for(signals) -> str:
    """``["number", "attribution"]`` -> "a number and an attribution"."""
    phrases = [PHRASES[signal] for signal in PHRASES if signal in signals]
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def rank(sentence: str, found: Found) -> Ranked:
    signals = tuple(signal for signal in PHRASES if signal in found)
    score = sum(WEIGHTS[signal] for signal in signals)
    if len(sentence.split()) < MIN_WORDS or sentence.rstrip().endswith("?"):
        score = 0.0  # a fragment or a question asserts nothing to check
    return Ranked(round(score, 2), signals, words_for(signals))


def worth_proposing(ranked: Ranked) -> bool:
    return ranked.score >= THRESHOLD
