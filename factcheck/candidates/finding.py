"""Candidates of a text, best first (pure: text in, spans out; no database)."""

from dataclasses import dataclass

from factcheck.candidates import ranking, sentences, signals


@dataclass(frozen=True)
class Proposal:
    start: int
    end: int
    text: str
    score: float
    reasons: str
    signals: tuple[str, ...]


def propose(text: str) -> list[Proposal]:
    """Every sentence of ``text`` worth checking, ranked (ties keep text order)."""
    proposals = []
    for sentence in sentences.split(text):
        ranked = ranking.rank(sentence.text, signals.find(sentence.text))
        if ranking.worth_proposing(ranked):
            proposals.append(
                Proposal(
                    sentence.start,
                    sentence.end,
                    sentence.text,
                    ranked.score,
                    ranked.reasons,
                    ranked.signals,
                )
            )
    return sorted(proposals, key=lambda p: (-p.score, p.start))
