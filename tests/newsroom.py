"""Claims taken through the real review workflow, as the desk would."""

from factcheck import workflow
from factcheck.models import ClaimStatus
from factcheck.models.citations import DECISIVE_STANCES
from factcheck.ratings import Verdict


class Newsroom:
    """A researcher, a fact-checker and an editor who publish claims by the rules."""

    def __init__(self, researcher, factchecker, editor):
        self.researcher, self.factchecker, self.editor = researcher, factchecker, editor

    def publish(
        self,
        claim,
        verdict="accurate",
        rationale="The report says so.",
        note="",
        fidelity="not_applicable",
        fidelity_note="",
    ):
        claim.refresh_from_db()
        if claim.status == ClaimStatus.DRAFT:
            if verdict != Verdict.UNVERIFIABLE:
                self.cite_evidence(claim)
            workflow.submit(claim, user=self.researcher)
            claim.refresh_from_db()
        workflow.approve(
            claim,
            user=self.factchecker,
            verdict=verdict,
            rationale=rationale,
            fidelity=fidelity,
            fidelity_note=fidelity_note,
        )
        claim.refresh_from_db()
        workflow.publish(claim, user=self.editor, note=note)
        claim.refresh_from_db()
        return claim

    def cite_evidence(self, claim):
        """Give a draft a supporting passage, as the researcher, if it has none:
        a verdict on the accuracy scale needs one."""
        if claim.citations.filter(stance__in=DECISIVE_STANCES).exclude(passage="").exists():
            return
        from tests.factories import CitationFactory, SourceFactory

        evidence = SourceFactory(
            title=f"Evidence for {claim.slug}", url="https://evidence.example.org/"
        )
        with workflow.editing(claim, user=self.researcher, reason="Cited the evidence"):
            CitationFactory.build(
                claim=claim, source=evidence, passage="Evidence text.", locator="p. 1"
            ).save()
        claim.refresh_from_db()

    def edit(self, claim, reason="Edited", **changes):
        """Change the claim's working copy (a new draft revision if it is published)."""
        claim.refresh_from_db()
        for field, value in changes.items():
            setattr(claim, field, value)
        workflow.save_edit(claim, user=self.researcher, reason=reason)
        claim.refresh_from_db()
        return claim

    def correct(self, claim, *, verdict, rationale, note, **changes):
        """Publish a correction: a new revision with a public note."""
        self.edit(claim, reason=f"Correction: {note}", **changes)
        return self.publish(claim, verdict=verdict, rationale=rationale, note=note)

    def withdraw(self, claim, reason):
        claim.refresh_from_db()
        workflow.unpublish(claim, user=self.editor, reason=reason)
        claim.refresh_from_db()
        return claim
