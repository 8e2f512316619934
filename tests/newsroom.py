"""Claims taken through the real review workflow, as the desk would."""

from factcheck import workflow
from factcheck.models import ClaimStatus


class Newsroom:
    """A researcher, a fact-checker and an editor who publish claims by the rules."""

    def __init__(self, researcher, factchecker, editor):
        self.researcher, self.factchecker, self.editor = researcher, factchecker, editor

    def publish(self, claim, verdict="accurate", rationale="The report says so.", note=""):
        claim.refresh_from_db()
        if claim.status == ClaimStatus.DRAFT:
            workflow.submit(claim, user=self.researcher)
            claim.refresh_from_db()
        workflow.approve(claim, user=self.factchecker, verdict=verdict, rationale=rationale)
        claim.refresh_from_db()
        workflow.publish(claim, user=self.editor, note=note)
        claim.refresh_from_db()
        return claim

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
