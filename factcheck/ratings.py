"""The published rating scale: each verdict, its definition and its number.

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
    Verdict.ACCURATE: (
        "Independent evidence confirms the claim as stated, and the article "
        "represents its source faithfully."
    ),
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
