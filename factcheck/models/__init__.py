from factcheck.models.candidates import CandidateClaim, CandidateStatus
from factcheck.models.captures import Capture, CaptureMethod
from factcheck.models.citations import Citation, Stance
from factcheck.models.claims import Claim, ClaimKind, ClaimStatus, WorkflowBypassRefused
from factcheck.models.fixtures import FixtureRecord
from factcheck.models.imports import ArticleImport
from factcheck.models.keys import KeyChangeRefused
from factcheck.models.public_state import PublicState
from factcheck.models.reviews import CommentKind, ReviewComment
from factcheck.models.revisions import PublishedRevision, RevisionImmutable
from factcheck.models.sources import Source, SourceKind

__all__ = [
    "ArticleImport",
    "CandidateClaim",
    "CandidateStatus",
    "Capture",
    "CaptureMethod",
    "Citation",
    "Claim",
    "ClaimKind",
    "ClaimStatus",
    "CommentKind",
    "FixtureRecord",
    "KeyChangeRefused",
    "PublicState",
    "PublishedRevision",
    "ReviewComment",
    "RevisionImmutable",
    "Source",
    "SourceKind",
    "Stance",
    "WorkflowBypassRefused",
]
