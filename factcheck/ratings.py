"""The published rating scales: verdicts (is it true?) and fidelity (is the source
conveyed faithfully?), each value with its definition.

Numbers feed ClaimReview's ``reviewRating`` (``ratingValue`` between
``WORST_RATING`` and ``BEST_RATING``). "Not yet rated" and "Unverifiable"
have no number: they are not points on the accuracy scale.
"""

from django.db import models


class Verdict(models.TextChoices):
    NOT_YET_RATED = "not_yet_rated", "Not yet rated"
    ACCURATE = "accurate", "Accurate"
    MOSTLY_ACCURATE = "mostly_accurate", "Mostly accurate"
    MIXED = "mixed", "Mixed"
    MISLEADING = "misleading", "Misleading"
    INACCURATE = "inaccurate", "Inaccurate"
    UNVERIFIABLE = "unverifiable", "Unverifiable"


DEFINITIONS = {
    Verdict.NOT_YET_RATED: "The claim has not been checked yet. No verdict is implied.",
    Verdict.ACCURATE: "Independent evidence confirms the claim as stated.",
    Verdict.MOSTLY_ACCURATE: (
        "The claim is right in substance but needs a minor clarification or "
        "leaves out context that does not change its meaning."
    ),
    Verdict.MIXED: "Parts of the claim are confirmed and parts are not.",
    Verdict.MISLEADING: (
        "The words can be defended, but they leave a false impression, for "
        "example by misreporting what a cited source says."
    ),
    Verdict.INACCURATE: "Independent evidence contradicts the claim.",
    Verdict.UNVERIFIABLE: (
        "The claim cannot be checked against independent public evidence available to us."
    ),
}

RATING_VALUES = {
    Verdict.ACCURATE: 5,
    Verdict.MOSTLY_ACCURATE: 4,
    Verdict.MIXED: 3,
    Verdict.MISLEADING: 2,
    Verdict.INACCURATE: 1,
}
BEST_RATING = max(RATING_VALUES.values())
WORST_RATING = min(RATING_VALUES.values())


class Fidelity(models.TextChoices):
    """How faithfully the article conveys what its own source said.

    Separate from the verdict: an article can quote a report word for word on
    a point the report got wrong, or garble a point the report got right.
    """

    NOT_YET_RATED = "not_yet_rated", "Not yet rated"
    VERBATIM = "verbatim", "Verbatim"
    ACCURATE_PARAPHRASE = "accurate_paraphrase", "Accurate paraphrase"
    WORDING_DIFFERS = "wording_differs", "Wording differs"
    OVERSTATED = "overstated", "Overstated"
    UNDERSTATED = "understated", "Understated"
    NOT_FOUND = "not_found", "Not found in the available sources"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


FIDELITY_DEFINITIONS = {
    Fidelity.NOT_YET_RATED: "Fidelity has not been assessed yet.",
    Fidelity.VERBATIM: (
        "The article's quoted words are the source's own words, as independent sources quote them."
    ),
    Fidelity.ACCURATE_PARAPHRASE: (
        "The article puts the source's point in other words, with the same meaning and strength."
    ),
    Fidelity.WORDING_DIFFERS: (
        "Close to the source, but a word, number or detail differs from what the source "
        "said; the note says what."
    ),
    Fidelity.OVERSTATED: (
        "The article makes the source's point stronger or wider than the source did."
    ),
    Fidelity.UNDERSTATED: (
        "The article makes the source's point weaker or narrower than the source did."
    ),
    Fidelity.NOT_FOUND: (
        "No source available to us shows the original saying this, so we cannot tell how "
        "faithfully the article conveys it."
    ),
    Fidelity.NOT_APPLICABLE: (
        "The claim is the article's own, not a report of what someone else said."
    ),
}
# Fidelity ratings that need a note saying exactly what differs.
FIDELITY_NEEDS_NOTE = {Fidelity.WORDING_DIFFERS, Fidelity.OVERSTATED, Fidelity.UNDERSTATED}
