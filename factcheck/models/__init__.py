from factcheck.models.citations import Citation, Stance
from factcheck.models.claims import Claim, ClaimKind, ClaimStatus
from factcheck.models.sources import Source, SourceKind

__all__ = [
    "Citation",
    "Claim",
    "ClaimKind",
    "ClaimStatus",
    "Source",
    "SourceKind",
    "Stance",
]
